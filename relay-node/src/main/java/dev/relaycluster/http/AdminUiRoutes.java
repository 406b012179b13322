package dev.relaycluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves the admin web UI (the static files of the admin-frontend module, on the classpath under
 * {@code admin-ui/}) at {@code /admin/}, and the key holders' usage page at {@code /key-usage}. The admin API
 * under {@code /admin/api} is matched before this.
 */
public final class AdminUiRoutes extends AllDirectives {
  private static final String ROOT = "admin-ui";
  private static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  /** The UI loads only its own files and talks only to its own origin; it is never framed. */
  private static final List<HttpHeader> SECURITY_HEADERS = List.of(
      RawHeader.create("content-security-policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"),
      RawHeader.create("x-content-type-options", "nosniff"),
      RawHeader.create("referrer-policy", "no-referrer"),
      RawHeader.create("cache-control", "no-cache"));

  public Route route() {
    return get(() -> concat(
        // The key holders' portal: public, it asks for the key and reads /api/v1/key-usage with it. /apiStats is
        // where the Node.js relay had it, so bookmarks keep working.
        path("key-usage", () -> respondWithHeaders(SECURITY_HEADERS, () -> getFromResource(ROOT + "/key.html"))),
        path("apiStats", () -> respondWithHeaders(SECURITY_HEADERS, () -> getFromResource(ROOT + "/key.html"))),
        // The chart library, from its WebJar (a Maven dependency of admin-frontend), so nothing is fetched
        // from elsewhere at build or run time.
        path(PathMatchers.segment("admin").slash("vendor").slash("echarts.min.js"), () ->
            respondWithHeaders(SECURITY_HEADERS, () -> getFromResource(ECHARTS))),
        path("admin", () -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/admin/"),
            StatusCodes.PERMANENT_REDIRECT)),
        pathPrefix("admin", () -> respondWithHeaders(SECURITY_HEADERS, () -> concat(
            pathSingleSlash(() -> getFromResource(ROOT + "/index.html")),
            pathPrefix(segment("api"), this::reject),
            getFromResourceDirectory(ROOT))))));
  }
}
