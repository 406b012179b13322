package dev.relaycluster.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Who the client of a request is, behind the proxies an operator trusts ({@code relay.http.trusted-proxies}):
 * the connection's peer, unless the peer is a trusted proxy; then the nearest address of
 * {@code X-Forwarded-For} (else of {@code Forwarded}'s {@code for=}) that is not itself trusted, walking from
 * the right (the entries a client writes itself are on the left and never believed past an untrusted hop).
 * Subnet matching is Netty's.
 */
public final class TrustedProxies {
  private final List<IpSubnetFilterRule> subnets;

  private TrustedProxies(List<IpSubnetFilterRule> subnets) {
    this.subnets = List.copyOf(subnets);
  }

  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  public static TrustedProxies from(Config root) {
    return parse(root.getString("relay.http.trusted-proxies"));
  }

  /** Comma- or space-separated CIDRs ({@code 10.0.0.0/8}, {@code fd00::/8}) or single addresses. */
  public static TrustedProxies parse(String spec) {
    List<IpSubnetFilterRule> rules = new ArrayList<>();
    for (String part : spec.split("[,\\s]+")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        String cidr = part.contains("/") ? part : part + (part.contains(":") ? "/128" : "/32");
        if (!literal(cidr.substring(0, cidr.indexOf('/')))) {
          throw new IllegalArgumentException("not an address");
        }
        rules.add(new IpSubnetFilterRule(cidr, IpFilterRuleType.ACCEPT));
      } catch (RuntimeException e) {
        throw new ConfigException.BadValue("relay.http.trusted-proxies",
            "'" + part + "' is not an address or a CIDR such as 10.0.0.0/8");
      }
    }
    return new TrustedProxies(rules);
  }

  public boolean trusts(InetAddress address) {
    InetSocketAddress socket = new InetSocketAddress(address, 0);
    for (IpSubnetFilterRule rule : subnets) {
      if (rule.matches(socket)) {
        return true;
      }
    }
    return false;
  }

  /** The client's address for this request, as text; "unknown" without a peer address. */
  public String clientAddress(HttpRequest request) {
    Optional<InetAddress> peer = request.getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress());
    if (peer.isEmpty()) {
      return "unknown";
    }
    return resolve(peer.get(), header(request, "x-forwarded-for"), header(request, "forwarded"));
  }

  /** The client behind {@code peer}, given the request's forwarding headers (null when absent). */
  String resolve(InetAddress peer, String xForwardedFor, String forwarded) {
    if (subnets.isEmpty() || !trusts(peer)) {
      return peer.getHostAddress();
    }
    List<String> hops = xForwardedFor != null ? forwardedFor(xForwardedFor) : forwardedElements(forwarded);
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = address(hops.get(i));
      if (hop.isEmpty()) {
        // Garbage where an address belongs: nothing left of it can be believed either.
        return peer.getHostAddress();
      }
      if (!trusts(hop.get())) {
        return hop.get().getHostAddress();
      }
    }
    return hops.isEmpty() ? peer.getHostAddress() : address(hops.get(0)).get().getHostAddress();
  }

  private static List<String> forwardedFor(String header) {
    List<String> hops = new ArrayList<>();
    for (String part : header.split(",")) {
      if (!part.isBlank()) {
        hops.add(part.strip());
      }
    }
    return hops;
  }

  /** The {@code for=} values of a Forwarded header (RFC 7239), in order. */
  private static List<String> forwardedElements(String header) {
    List<String> hops = new ArrayList<>();
    if (header == null) {
      return hops;
    }
    for (String element : header.split(",")) {
      for (String pair : element.split(";")) {
        String p = pair.strip();
        if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
          hops.add(p.substring(4).replace("\"", ""));
        }
      }
    }
    return hops;
  }

  /** An address written as {@code 1.2.3.4}, {@code 1.2.3.4:567}, {@code [::1]} or {@code [::1]:567}; no names. */
  static Optional<InetAddress> address(String hop) {
    String h = hop.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end > 0 ? h.substring(1, end) : "";
    } else if (h.indexOf(':') > 0 && h.indexOf(':') == h.lastIndexOf(':')) {
      h = h.substring(0, h.indexOf(':'));
    }
    if (!literal(h)) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(h));
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** An IPv4 literal (digits and dots) or an IPv6 one (hex, colons, dots): parsed without a name lookup. */
  private static boolean literal(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return false;
    }
    if (s.contains(":")) {
      return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }
    return s.contains(".") && s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
  }

  private static String header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value).orElse(null);
  }
}
