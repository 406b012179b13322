package dev.relaycluster.http;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Finds the relay key a client sent: the first non-empty of x-api-key, Authorization (Bearer),
 * x-goog-api-key, api-key and the {@code key} query parameter.
 */
public final class ClientKeys {
  private ClientKeys() {}

  public static Optional<String> from(HttpRequest request) {
    Optional<String> key = header(request, "x-api-key")
        .or(() -> header(request, "authorization").map(ClientKeys::stripBearer).filter(k -> !k.isBlank()))
        .or(() -> header(request, "x-goog-api-key"))
        .or(() -> header(request, "api-key"))
        .or(() -> request.getUri().query().get("key"));
    return key.map(String::strip).filter(k -> !k.isEmpty());
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value).filter(v -> !v.isBlank());
  }

  private static String stripBearer(String value) {
    String v = value.strip();
    if (v.equalsIgnoreCase("Bearer")) {
      return "";
    }
    return v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).strip() : v;
  }

  /** The raw query string without the {@code key} parameter, or null when nothing remains. */
  public static String queryWithoutKey(HttpRequest request) {
    return request.getUri().rawQueryString()
        .map(q -> String.join("&", java.util.Arrays.stream(q.split("&"))
            .filter(p -> !p.isEmpty() && !p.equals("key") && !p.startsWith("key="))
            .toList()))
        .filter(q -> !q.isEmpty())
        .orElse(null);
  }
}
