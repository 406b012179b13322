package dev.relaycluster.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * The client headers that go upstream: all but hop-by-hop, client-address and relay-credential ones, and
 * none that cannot be sent on as it came. pekko-http accepts a DEL in a header value and decodes UTF-8 in
 * values; the upstream client refuses the first (the whole call failed, and the account it was sent to was
 * reported unreachable) and writes every character past Latin-1 as '?'. Such a header is dropped.
 */
public final class UpstreamHeaders {
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private UpstreamHeaders() {}

  /** The forwardable client headers for which {@code keep} also holds (lower-case name), with room for a few more. */
  public static List<HttpHeader> forwarded(List<HttpHeader> clientHeaders, Predicate<String> keep) {
    List<HttpHeader> headers = new ArrayList<>(clientHeaders.size() + 4);
    for (HttpHeader h : clientHeaders) {
      String name = h.lowercaseName();
      if (HeaderPolicy.forwardToUpstream(name) && keep.test(name) && sendable(h)) {
        headers.add(h);
      }
    }
    return headers;
  }

  /** Whether a client header can go upstream as it came: a token for a name; visible ASCII, space, tab in the value. */
  public static boolean sendable(HttpHeader h) {
    String name = h.name();
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || TOKEN_SYMBOLS.indexOf(c) >= 0)) {
        return false;
      }
    }
    String value = h.value();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c == '\t' || c >= ' ' && c <= '~')) {
        return false;
      }
    }
    return true;
  }
}
