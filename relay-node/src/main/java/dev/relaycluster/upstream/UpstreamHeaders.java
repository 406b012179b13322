package dev.relaycluster.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/** The client headers that go upstream: all but hop-by-hop, client-address and relay-credential ones. */
public final class UpstreamHeaders {
  private UpstreamHeaders() {}

  /** The forwardable client headers for which {@code keep} also holds (lower-case name), with room for a few more. */
  public static List<HttpHeader> forwarded(List<HttpHeader> clientHeaders, Predicate<String> keep) {
    List<HttpHeader> headers = new ArrayList<>(clientHeaders.size() + 4);
    for (HttpHeader h : clientHeaders) {
      String name = h.lowercaseName();
      if (HeaderPolicy.forwardToUpstream(name) && keep.test(name)) {
        headers.add(h);
      }
    }
    return headers;
  }
}
