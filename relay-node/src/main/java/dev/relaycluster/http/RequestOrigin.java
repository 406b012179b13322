package dev.relaycluster.http;

import dev.relaycluster.portal.PublicBaseUrl;
import java.net.InetAddress;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * This relay's address as clients reach it, for anything the node hands back to be called later (the portal's
 * set-up snippets, the sign-on callback): the configured public URL, else what the request says
 * ({@link PublicBaseUrl}), believing forwarded headers only from a trusted proxy.
 */
final class RequestOrigin {
  private RequestOrigin() {}

  /** The base URL without a trailing slash; {@code configured} may be empty. */
  static String baseUrl(String configured, HttpRequest req, TrustedProxies proxies) {
    Optional<InetAddress> peer = req.getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress());
    boolean trusted = peer.isPresent() && proxies.trusts(peer.get());
    PublicBaseUrl.Seen seen = new PublicBaseUrl.Seen(req.getUri().getScheme(), header(req, "host"),
        header(req, "x-forwarded-proto"), header(req, "x-forwarded-host"), header(req, "forwarded"));
    return PublicBaseUrl.of(configured == null ? "" : configured.replaceAll("/+$", ""), seen, trusted);
  }

  private static String header(HttpRequest req, String name) {
    return req.getHeader(name).map(HttpHeader::value).orElse(null);
  }
}
