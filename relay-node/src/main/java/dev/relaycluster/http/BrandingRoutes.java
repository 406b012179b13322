package dev.relaycluster.http;

import static dev.relaycluster.http.AdminCalls.withErrors;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.relaycluster.admin.Branding;
import dev.relaycluster.admin.BrandingSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * The admin UI's site name and icon. {@link #publicRoute()}: {@code GET /branding}, mounted by {@link AdminRoutes}
 * under /admin/api before the session check (the login page shows them; nothing secret). {@link #route}: the
 * admin settings {@code GET / PATCH /settings/branding}, mounted after login and the role check.
 */
public final class BrandingRoutes extends AllDirectives {
  private static final long MAX_BODY = Branding.MAX_ICON + 4 * 1024;

  private final Branding branding;
  private final Materializer materializer;

  public BrandingRoutes(Branding branding, Materializer materializer) {
    this.branding = branding;
    this.materializer = materializer;
  }

  public Route publicRoute() {
    return path("branding", () -> get(() -> completeWithFuture(withErrors(
        branding.current().thenApply(b -> JsonResponses.ok(shown(b)))))));
  }

  public Route route(HttpRequest req) {
    return path(segment("settings").slash("branding"), () -> concat(
        get(() -> completeWithFuture(withErrors(branding.current().thenApply(b -> JsonResponses.ok(settings(b)))))),
        patch(() -> completeWithFuture(withErrors(AdminCalls.jsonObject(req, MAX_BODY, materializer)
            .thenCompose(branding::update).thenApply(b -> JsonResponses.ok(settings(b))))))));
  }

  private static Map<String, Object> shown(BrandingSettings b) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("siteName", b.siteName());
    out.put("iconUrl", b.iconUrl());
    return out;
  }

  private static Map<String, Object> settings(BrandingSettings b) {
    Map<String, Object> out = shown(b);
    out.put("defaultSiteName", b.defaultSiteName());
    out.put("overridden", b.overridden());
    return out;
  }
}
