package dev.relaycluster.portal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The address a key holder's clients should use for this relay, without a trailing slash: the configured
 * public URL when there is one; else the scheme and host the request came to, or, when the request came
 * from a trusted proxy, the ones that proxy forwarded ({@code X-Forwarded-Proto} / {@code X-Forwarded-Host},
 * else {@code Forwarded}'s {@code proto=} / {@code host=}; the first entry of a list, the one the client
 * reached). A host that is not a plain name or address (with an optional port) is never put into a snippet.
 */
public final class PublicBaseUrl {
  /** What the snippets say when the relay cannot tell its own address. */
  public static final String UNKNOWN = "http://relay-host:3000";

  private static final Pattern HOST = Pattern.compile(
      "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
          + "|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");

  private PublicBaseUrl() {}

  /** What a request tells about where it was sent; any of the forwarded values may be null. */
  public record Seen(String scheme, String host, String forwardedProto, String forwardedHost, String forwarded) {}

  /**
   * @param configured the operator's public URL, already normalised ("" = none)
   * @param seen the request's own scheme and Host, and its forwarding headers
   * @param fromTrustedProxy whether the request's peer is a trusted proxy (only then are forwarded values used)
   */
  public static String of(String configured, Seen seen, boolean fromTrustedProxy) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    String scheme = seen.scheme();
    String host = seen.host();
    if (fromTrustedProxy) {
      String proto = first(seen.forwardedProto());
      String fHost = first(seen.forwardedHost());
      if (proto == null) {
        proto = forwardedParam(seen.forwarded(), "proto");
      }
      if (fHost == null) {
        fHost = forwardedParam(seen.forwarded(), "host");
      }
      scheme = proto != null ? proto : scheme;
      host = fHost != null ? fHost : host;
    }
    scheme = scheme == null ? "" : scheme.strip().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      scheme = "http";
    }
    if (host == null || !HOST.matcher(host.strip()).matches()) {
      return UNKNOWN;
    }
    String h = host.strip();
    int colon = h.lastIndexOf(':');
    boolean hasPort = colon > 0 && (h.charAt(0) != '[' || h.charAt(colon - 1) == ']');
    if (hasPort) {
      String port = h.substring(colon + 1);
      if ((scheme.equals("http") && port.equals("80")) || (scheme.equals("https") && port.equals("443"))) {
        h = h.substring(0, colon);
      }
    }
    return scheme + "://" + h;
  }

  private static String first(String list) {
    if (list == null) {
      return null;
    }
    String v = list.split(",", 2)[0].strip();
    return v.isEmpty() ? null : v;
  }

  /** A parameter of the first element of a Forwarded header (RFC 7239), unquoted; null when absent. */
  static String forwardedParam(String header, String name) {
    if (header == null) {
      return null;
    }
    String firstElement = header.split(",", 2)[0];
    for (String pair : firstElement.split(";")) {
      String p = pair.strip();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(name)) {
        String v = p.substring(eq + 1).strip().replace("\"", "");
        return v.isEmpty() ? null : v;
      }
    }
    return null;
  }
}
