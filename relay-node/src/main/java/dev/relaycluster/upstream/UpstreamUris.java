package dev.relaycluster.upstream;

import dev.relaycluster.protocol.util.BoundedMemo;
import org.apache.pekko.http.javadsl.model.Uri;

/** Upstream URIs, built from an account's base URL and an endpoint's path, parsed once. */
public final class UpstreamUris {
  /**
   * Up to 1,024 of them: every call to an account goes to one of a few (its base URL, the endpoint's path,
   * usually no query), and pekko's URI parser would run for each request.
   */
  private static final BoundedMemo<String, Uri> URIS = new BoundedMemo<>(1024, Uri::create);

  private UpstreamUris() {}

  /** {@code baseUrl} + {@code path} (see {@link #join}) + {@code ?rawQuery} when there is one. */
  public static Uri of(String baseUrl, String path, String rawQuery) {
    String uri = join(baseUrl, path) + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    return URIS.get(uri);
  }

  /** Base URL plus path, tolerating a trailing slash or a trailing /v1 on the configured base URL. */
  public static String join(String baseUrl, String path) {
    String base = baseUrl;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/v1") && path.startsWith("/v1/")) {
      base = base.substring(0, base.length() - 3);
    }
    return base + path;
  }
}
