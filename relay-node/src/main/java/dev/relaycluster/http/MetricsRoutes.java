package dev.relaycluster.http;

import dev.relaycluster.config.MetricsSettings;
import dev.relaycluster.metrics.Exposition;
import dev.relaycluster.metrics.RelayMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: the node's metrics in the Prometheus text format, or OpenMetrics when the Accept header
 * asks for it. With {@code relay.metrics.token} set, only {@code Authorization: Bearer <token>} gets them (the
 * token compared in constant time, never logged); anything else gets 401 with a JSON error. Served on the
 * management port when that is on ({@link MetricsManagementRoutes}), else on the main port.
 */
public final class MetricsRoutes extends AllDirectives {
  private static final String BEARER = "bearer ";

  private final RelayMetrics metrics;
  private final byte[] tokenDigest;

  public MetricsRoutes(RelayMetrics metrics, MetricsSettings settings) {
    this.metrics = metrics;
    this.tokenDigest = settings.tokenRequired() ? sha256(settings.token()) : null;
  }

  public Route route() {
    return path("metrics", () -> get(() -> extractRequest(req -> complete(answer(req)))));
  }

  HttpResponse answer(HttpRequest req) {
    if (tokenDigest != null && !authorized(req)) {
      return JsonResponses.error(401, "authentication_error", "the metrics need Authorization: Bearer <token>")
          .addHeader(RawHeader.create("www-authenticate", "Bearer realm=\"metrics\""));
    }
    Exposition scrape = metrics.scrape(req.getHeader("accept").map(HttpHeader::value).orElse(null));
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.parse(scrape.contentType()),
            scrape.body().getBytes(StandardCharsets.UTF_8)))
        .addHeader(RawHeader.create("cache-control", "no-store"));
  }

  private boolean authorized(HttpRequest req) {
    Optional<String> header = req.getHeader("authorization").map(HttpHeader::value);
    if (header.isEmpty() || header.get().length() <= BEARER.length()
        || !header.get().substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return false;
    }
    // Digests of equal length, compared in constant time: neither the token nor its length leaks by timing.
    return MessageDigest.isEqual(tokenDigest, sha256(header.get().substring(BEARER.length()).strip()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
