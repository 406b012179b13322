package dev.relaycluster.http;

import static dev.relaycluster.http.AdminCalls.withErrors;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.relaycluster.admin.AdminInputException;
import dev.relaycluster.admin.AdminSessions;
import dev.relaycluster.admin.AuditAction;
import dev.relaycluster.admin.LoginResult;
import dev.relaycluster.config.OidcSettings;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * {@code POST /admin/api/login}: {"username","password"} answers a session {"token","expiresAt"}, or, for an
 * admin with two-factor on, {"totpRequired":true,"challenge","expiresAt"}; then {"challenge","code"} (six
 * digits from the authenticator, or a recovery code) answers the session. Wrong passwords and wrong codes
 * count alike in the login throttle. Every outcome but a throttled attempt goes to the audit log (never the
 * password or the code). With single sign-on configured and password login off ({@code RELAY_PASSWORD_LOGIN=off})
 * every password login is refused (403). {@code GET /admin/api/login/options} (public) tells the login page
 * which ways in there are: {"password":bool,"oidc":{"enabled":bool,"label"}}.
 */
final class AdminLoginRoutes extends AllDirectives {
  private static final long MAX_BODY = 16 * 1024;

  private final AdminSessions sessions;
  private final AdminAuditHook audit;
  private final TrustedProxies proxies;
  private final Materializer materializer;
  private final OidcSettings oidc;

  AdminLoginRoutes(AdminSessions sessions, AdminAuditHook audit, TrustedProxies proxies, Materializer materializer,
      OidcSettings oidc) {
    this.oidc = oidc;
    this.sessions = sessions;
    this.audit = audit;
    this.proxies = proxies;
    this.materializer = materializer;
  }

  Route route() {
    return concat(
        path(segment("login").slash("options"), () -> get(() -> complete(JsonResponses.ok(options())))),
        path("login", () -> concat(
            post(() -> oidc.passwordLoginOff()
                ? complete(JsonResponses.error(403, "permission_error", "password login is turned off on this relay "
                    + "(RELAY_PASSWORD_LOGIN=off): sign in with " + oidc.displayLabel() + " at /admin/api/oidc/start"))
                : extractRequest(req -> completeWithFuture(withErrors(login(req))))),
            complete(JsonResponses.error(405, "invalid_request_error", "use POST")))));
  }

  /** The ways in, for the login page; nothing about the issuer but its label. */
  private Map<String, Object> options() {
    Map<String, Object> sso = new LinkedHashMap<>();
    sso.put("enabled", oidc.enabled());
    sso.put("label", oidc.enabled() ? oidc.displayLabel() : "");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("password", !oidc.passwordLoginOff());
    out.put("oidc", sso);
    return out;
  }

  private CompletionStage<HttpResponse> login(HttpRequest req) {
    // Behind a trusted proxy the forwarded address, so that throttling sees clients, not the balancer.
    String client = proxies.clientAddress(req);
    return AdminCalls.jsonObject(req, MAX_BODY, materializer).thenCompose(body -> {
      if (body.has("challenge")) {
        String code = body.path("code").asText("");
        String method = code.strip().matches("\\d{6}") ? "totp" : "recovery-code";
        if (code.isBlank()) {
          throw AdminInputException.invalid("challenge and code are required");
        }
        return sessions.loginWithCode(body.path("challenge").asText(""), code, client)
            .thenCompose(result -> answer(result, method, client));
      }
      String username = body.path("username").asText("");
      String password = body.path("password").asText("");
      if (username.isEmpty() || password.isEmpty()) {
        throw AdminInputException.invalid("username and password are required");
      }
      return sessions.login(username, password, client).thenCompose(result -> answer(result, "password", client));
    });
  }

  private CompletionStage<HttpResponse> answer(LoginResult result, String method, String client) {
    if (result instanceof LoginResult.Success ok) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("token", ok.token());
      out.put("expiresAt", Instant.ofEpochMilli(ok.expiresAt()).toString());
      if (ok.enrolmentRequired()) {
        out.put("enrolmentRequired", true);
        out.put("enrol", "two-factor sign-in is required: POST /admin/api/me/totp, then /admin/api/me/totp/confirm");
      }
      return logged(ok.username(), "logged-in", method, client).thenApply(v -> JsonResponses.ok(out));
    }
    if (result instanceof LoginResult.TotpRequired t) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("totpRequired", true);
      out.put("challenge", t.challenge());
      out.put("expiresAt", Instant.ofEpochMilli(t.expiresAt()).toString());
      return logged(t.username(), "password-accepted", "password", client).thenApply(v -> JsonResponses.ok(out));
    }
    if (result instanceof LoginResult.Throttled t) {
      // Not logged: a throttled attempt costs the caller nothing, so each one must cost the node nothing.
      return java.util.concurrent.CompletableFuture.completedFuture(
          JsonResponses.error(429, "rate_limit_error", "too many failed logins; try again later")
              .addHeader(RawHeader.create("retry-after", Long.toString(t.retryAfterSeconds()))));
    }
    LoginResult.WrongCredentials wrong = (LoginResult.WrongCredentials) result;
    return logged(wrong.username(), "login-failed", method, client).thenApply(v -> method.equals("password")
        ? JsonResponses.error(401, "authentication_error", "wrong username or password")
        : JsonResponses.error(401, "authentication_error", "wrong or expired code; log in again if the challenge "
            + "has expired"));
  }

  private CompletionStage<Void> logged(String username, String action, String method, String client) {
    return audit.write(username, new AuditAction(action, "session", username, method), username, List.of(), client);
  }
}
