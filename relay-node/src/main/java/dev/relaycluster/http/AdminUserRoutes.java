package dev.relaycluster.http;

import static dev.relaycluster.http.AdminCalls.withErrors;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.admin.AdminAudit;
import dev.relaycluster.admin.AdminManagement;
import dev.relaycluster.admin.AdminSession;
import dev.relaycluster.admin.AdminSessions;
import dev.relaycluster.admin.AdminUser;
import dev.relaycluster.admin.AuditEntry;
import dev.relaycluster.admin.CreatedAdmin;
import dev.relaycluster.admin.LoginResult;
import dev.relaycluster.admin.TwoFactorAdmin;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * The admins under /admin/api (mounted by {@link AdminRoutes} after login and the role check): the owner's
 * {@code /admins…}, every admin's own {@code /me} (profile, password, two-factor enrolment), the security
 * settings ({@code /settings/security}) and the audit log ({@code /audit}). Secrets shown once (a made-up
 * password, the TOTP secret, recovery codes) appear only in the answer of the call that made them.
 */
public final class AdminUserRoutes extends AllDirectives {
  private static final long MAX_BODY = 16 * 1024;

  private final AdminManagement admins;
  private final TwoFactorAdmin twoFactor;
  private final AdminSessions sessions;
  private final AdminAudit audit;
  private final Materializer materializer;

  public AdminUserRoutes(AdminManagement admins, TwoFactorAdmin twoFactor, AdminSessions sessions, AdminAudit audit,
      Materializer materializer) {
    this.admins = admins;
    this.twoFactor = twoFactor;
    this.sessions = sessions;
    this.audit = audit;
    this.materializer = materializer;
  }

  public Route route(AdminSession session, HttpRequest req) {
    return concat(
        path("admins", () -> concat(
            get(() -> completeWithFuture(withErrors(admins.list().thenApply(list -> JsonResponses.ok(
                Map.of("data", list.stream().map(AdminUserRoutes::admin).toList())))))),
            post(() -> completeWithFuture(withErrors(json(req).thenCompose(admins::create)
                .thenApply(created -> JsonResponses.of(201, created(created)))))))),
        path(segment("admins").slash(PathMatchers.segment()), name -> concat(
            get(() -> completeWithFuture(withErrors(admins.get(name).thenApply(u -> JsonResponses.ok(admin(u)))))),
            patch(() -> completeWithFuture(withErrors(json(req).thenCompose(body -> admins.update(name, body))
                .thenApply(u -> JsonResponses.ok(admin(u)))))),
            delete(() -> completeWithFuture(withErrors(admins.delete(name)
                .thenApply(u -> JsonResponses.ok(Map.of("username", u.username(), "deleted", true)))))))),
        path(segment("admins").slash(PathMatchers.segment()).slash("password"), name -> post(() ->
            completeWithFuture(withErrors(json(req).thenCompose(body -> admins.resetPassword(name, body))
                .thenApply(created -> JsonResponses.ok(created(created))))))),
        path(segment("admins").slash(PathMatchers.segment()).slash("totp"), name -> delete(() ->
            completeWithFuture(withErrors(twoFactor.reset(name).thenApply(u -> JsonResponses.ok(admin(u))))))),
        pathPrefix("me", () -> concat(
            pathEnd(() -> concat(
                get(() -> completeWithFuture(withErrors(me(session)))),
                patch(() -> completeWithFuture(withErrors(json(req)
                    .thenCompose(body -> admins.changeOwnPassword(session.username(), body))
                    .thenCompose(sessions::issue).thenApply(AdminUserRoutes::newSession)))))),
            path("totp", () -> post(() -> completeWithFuture(withErrors(
                twoFactor.enrol(session.username()).thenApply(JsonResponses::ok))))),
            path(segment("totp").slash("confirm"), () -> post(() -> completeWithFuture(withErrors(json(req)
                .thenCompose(body -> twoFactor.confirm(session.username(), body.path("code").asText("")))
                .thenApply(codes -> JsonResponses.ok(Map.of("username", session.username(), "totpEnabled", true,
                    "recoveryCodes", codes))))))),
            path(segment("totp").slash("disable"), () -> post(() -> completeWithFuture(withErrors(json(req)
                .thenCompose(body -> twoFactor.disable(session.username(), body.path("password").asText(""),
                    body.path("code").asText("")))
                .thenApply(v -> JsonResponses.ok(Map.of("username", session.username(), "totpEnabled", false))))))))),
        path(segment("settings").slash("security"), () -> concat(
            get(() -> completeWithFuture(withErrors(admins.requireTwoFactor().thenApply(AdminUserRoutes::security)))),
            patch(() -> completeWithFuture(withErrors(json(req)
                .thenCompose(body -> admins.setSecurity(session.username(), body))
                .thenApply(AdminUserRoutes::security)))))),
        path("audit", () -> get(() -> parameterMap(p -> completeWithFuture(withErrors(audit.query(p)
            .thenApply(rows -> JsonResponses.ok(auditPage(rows, p)))))))));
  }

  /**
   * A page of the audit log with the limit and offset it was read with, as numbers, and {@code nextOffset}:
   * where the next page starts, or null when this page was not full (there is no next).
   */
  private static ObjectNode auditPage(java.util.List<AuditEntry> rows, Map<String, String> p) {
    int limit = AdminAudit.limit(p);
    int offset = AdminAudit.offset(p);
    ObjectNode out = JsonResponses.MAPPER.createObjectNode();
    var data = out.putArray("data");
    rows.forEach(e -> data.add(entry(e)));
    out.put("limit", limit).put("offset", offset);
    if (rows.size() == limit) {
      out.put("nextOffset", (long) offset + limit);
    } else {
      out.putNull("nextOffset");
    }
    return out;
  }

  private CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse> me(AdminSession session) {
    return admins.get(session.username()).thenCombine(admins.requireTwoFactor(), (user, required) -> {
      ObjectNode out = admin(user);
      out.put("twoFactorRequired", required).put("enrolmentRequired", session.enrolOnly());
      return out;
    }).thenCompose(out -> twoFactor.recoveryCodesLeft(session.username())
        .thenApply(left -> JsonResponses.ok(out.put("recoveryCodesLeft", left))));
  }

  static ObjectNode admin(AdminUser u) {
    ObjectNode n = JsonResponses.MAPPER.createObjectNode();
    n.put("username", u.username()).put("role", u.role().wireName()).put("disabled", u.disabled())
        .put("totpEnabled", u.totpEnabled())
        .put("createdAt", Instant.ofEpochMilli(u.createdAt()).toString())
        .put("updatedAt", Instant.ofEpochMilli(u.updatedAt()).toString());
    return n;
  }

  /** An admin with the password the node made up, if it did (shown only here). */
  private static ObjectNode created(CreatedAdmin c) {
    ObjectNode n = admin(c.user());
    if (c.password() != null) {
      n.put("password", c.password());
    }
    return n;
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse newSession(LoginResult result) {
    LoginResult.Success ok = (LoginResult.Success) result;
    return JsonResponses.ok(Map.of("username", ok.username(), "passwordChanged", true, "token", ok.token(),
        "expiresAt", Instant.ofEpochMilli(ok.expiresAt()).toString()));
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse security(boolean requireTwoFactor) {
    return JsonResponses.ok(Map.of("requireTwoFactor", requireTwoFactor));
  }

  private static ObjectNode entry(AuditEntry e) {
    ObjectNode n = JsonResponses.MAPPER.createObjectNode();
    n.put("id", e.id()).put("at", Instant.ofEpochMilli(e.at()).toString()).put("actor", e.actor())
        .put("action", e.action()).put("objectType", e.objectType()).put("objectId", e.objectId())
        .put("objectName", e.objectName());
    var fields = n.putArray("fields");
    e.fields().forEach(fields::add);
    n.put("detail", e.detail()).put("client", e.client());
    return n;
  }

  private CompletionStage<JsonNode> json(HttpRequest req) {
    return AdminCalls.jsonObject(req, MAX_BODY, materializer);
  }
}
