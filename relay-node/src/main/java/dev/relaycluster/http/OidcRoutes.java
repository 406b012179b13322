package dev.relaycluster.http;

import static dev.relaycluster.http.AdminCalls.withErrors;

import dev.relaycluster.admin.AdminInputException;
import dev.relaycluster.admin.AuditAction;
import dev.relaycluster.admin.oidc.OidcLogin;
import dev.relaycluster.admin.oidc.OidcRefusal;
import dev.relaycluster.config.OidcSettings;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin sign-on with OpenID Connect, all public (before the session check): {@code GET /admin/api/oidc/start}
 * sends the browser to the issuer; {@code GET /admin/api/oidc/callback} takes the issuer's answer and sends the
 * browser back to the login page with a one-time code ({@code /admin/#/login?sso=<code>}) or a short error word
 * ({@code ?sso_error=expired}); {@code POST /admin/api/oidc/exchange} {"code"} trades the code for the session
 * token, so the token never sits in a URL, a history or a log. Every finished or refused sign-on goes to the
 * audit log. With sign-on off, each answers 404.
 */
final class OidcRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(OidcRoutes.class);
  private static final String CALLBACK = "/admin/api/oidc/callback";
  private static final String LOGIN_PAGE = "/admin/#/login";
  private static final long MAX_BODY = 4 * 1024;

  private final OidcLogin oidc;
  private final AdminAuditHook audit;
  private final TrustedProxies proxies;
  private final Materializer materializer;

  OidcRoutes(OidcLogin oidc, AdminAuditHook audit, TrustedProxies proxies, Materializer materializer) {
    this.oidc = oidc;
    this.audit = audit;
    this.proxies = proxies;
    this.materializer = materializer;
  }

  Route route() {
    return pathPrefix("oidc", () -> concat(
        path("start", () -> get(() -> enabled(() -> extractRequest(req -> completeWithFuture(start(req)))))),
        path("callback", () -> get(() -> enabled(() -> extractRequest(req -> completeWithFuture(callback(req)))))),
        path("exchange", () -> post(() -> enabled(() -> extractRequest(req -> completeWithFuture(
            withErrors(exchange(req)))))))));
  }

  private Route enabled(java.util.function.Supplier<Route> inner) {
    return oidc.enabled() ? inner.get()
        : complete(JsonResponses.error(404, "not_found_error", "single sign-on (OpenID Connect) is not configured "
            + "on this relay: set RELAY_OIDC_ISSUER and RELAY_OIDC_CLIENT_ID"));
  }

  private CompletionStage<HttpResponse> start(HttpRequest req) {
    return oidc.start(redirectUri(req)).thenApply(OidcRoutes::redirect).exceptionally(e -> {
      Throwable cause = cause(e);
      log.warn("admin sign-on could not start: {}", cause instanceof OidcRefusal r ? r.getMessage() : cause.toString());
      return toLoginPage("sso_error", cause instanceof OidcRefusal r ? r.code() : OidcRefusal.UNAVAILABLE);
    });
  }

  private CompletionStage<HttpResponse> callback(HttpRequest req) {
    String client = proxies.clientAddress(req);
    String code = req.getUri().query().get("code").orElse(null);
    String state = req.getUri().query().get("state").orElse(null);
    String error = req.getUri().query().get("error").orElse(null);
    return oidc.finish(code, state, error)
        .thenCompose(in -> changes(in, client).thenCompose(v -> audit.write(in.username(),
            new AuditAction("logged-in", "session", in.username(), "oidc"), in.username(), List.of(), client))
            .thenApply(v -> toLoginPage("sso", in.code())))
        .exceptionallyCompose(e -> {
          Throwable cause = cause(e);
          OidcRefusal refusal = cause instanceof OidcRefusal r ? r
              : new OidcRefusal(OidcRefusal.UNAVAILABLE, cause.toString(), null);
          if (!(cause instanceof OidcRefusal)) {
            log.warn("admin sign-on failed", cause);
          } else {
            log.info("admin sign-on refused ({}): {}", refusal.code(), refusal.getMessage());
          }
          return audit.write(refusal.username(), new AuditAction("login-failed", "session", refusal.username(),
              "oidc: " + refusal.code()), refusal.username(), List.of(), client)
              .thenApply(v -> toLoginPage("sso_error", refusal.code()));
        });
  }

  /** The admin this sign-on made, or the role it changed, as the owner's own changes are logged. */
  private CompletionStage<Void> changes(OidcLogin.SignedIn in, String client) {
    String role = in.role().wireName();
    if (in.created()) {
      return audit.write(in.username(), new AuditAction("created", "admin", in.username(), role + ", oidc"),
          in.username(), List.of(), client);
    }
    if (in.roleBefore() != in.role()) {
      return audit.write(in.username(), new AuditAction("role-changed", "admin", in.username(), role + ", oidc"),
          in.username(), List.of(), client);
    }
    return java.util.concurrent.CompletableFuture.completedFuture(null);
  }

  private CompletionStage<HttpResponse> exchange(HttpRequest req) {
    return AdminCalls.jsonObject(req, MAX_BODY, materializer).thenCompose(body -> {
      String code = body.path("code").asText("");
      if (code.isBlank()) {
        throw AdminInputException.invalid("code is required: the sso value the callback put in the login page's URL");
      }
      return oidc.exchange(code.strip()).thenApply(found -> found.map(s -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", s.token());
        out.put("expiresAt", Instant.ofEpochMilli(s.expiresAt()).toString());
        out.put("username", s.username());
        out.put("role", s.role());
        if (s.enrolmentRequired()) {
          out.put("enrolmentRequired", true);
          out.put("enrol", "two-factor sign-in is required: POST /admin/api/me/totp, then /admin/api/me/totp/confirm");
        }
        return JsonResponses.ok(out);
      }).orElseGet(() -> JsonResponses.error(401, "authentication_error",
          "unknown, expired or used sign-on code; sign in again")));
    });
  }

  /**
   * Where the issuer sends the browser back: the configured URL, else the public URL's, else this request's
   * scheme and host (behind a trusted proxy, the forwarded ones), as the portal's snippets read them.
   */
  private URI redirectUri(HttpRequest req) {
    OidcSettings s = oidc.settings();
    if (!s.redirectUrl().isEmpty()) {
      return URI.create(s.redirectUrl());
    }
    return URI.create(RequestOrigin.baseUrl(s.publicUrl(), req, proxies) + CALLBACK);
  }

  private static HttpResponse redirect(URI to) {
    return HttpResponse.create().withStatus(StatusCodes.FOUND).addHeader(Location.create(to.toString()));
  }

  private static HttpResponse toLoginPage(String name, String value) {
    return redirect(URI.create(LOGIN_PAGE + "?" + name + "=" + value));
  }

  private static Throwable cause(Throwable e) {
    Throwable c = e;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
