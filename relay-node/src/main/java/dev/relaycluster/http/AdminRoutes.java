package dev.relaycluster.http;

import static dev.relaycluster.http.AccountJson.account;
import static dev.relaycluster.http.AdminCalls.withErrors;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.admin.AccountAdmin;
import dev.relaycluster.admin.AdminAudit;
import dev.relaycluster.admin.AdminPermissions;
import dev.relaycluster.admin.AdminRole;
import dev.relaycluster.admin.AdminSession;
import dev.relaycluster.admin.AdminSessions;
import dev.relaycluster.admin.ClusterAdmin;
import dev.relaycluster.admin.CodexOAuthAdmin;
import dev.relaycluster.admin.DroidOAuthAdmin;
import dev.relaycluster.admin.GeminiOAuthAdmin;
import dev.relaycluster.admin.KeyAdmin;
import dev.relaycluster.admin.RequestTraces;
import dev.relaycluster.admin.KeyJson;
import dev.relaycluster.admin.OAuthAccountAdmin;
import dev.relaycluster.admin.Branding;
import dev.relaycluster.admin.ModelMaps;
import dev.relaycluster.admin.oidc.OidcLogin;
import dev.relaycluster.apikey.KeyUsage;
import dev.relaycluster.config.OidcSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * The JSON admin API under /admin/api: login, accounts, keys and the request log. Every call but
 * login, its options and single sign-on ({@code oidc/...}) needs {@code Authorization: Bearer <token>}.
 * Errors are {"error":{"type","message"}}.
 */
public final class AdminRoutes extends AllDirectives {
  private static final long MAX_ADMIN_BODY = 1024 * 1024;
  private static final long BODY_TIMEOUT_MILLIS = 10_000;

  private final AdminSessions sessions;
  private final AccountAdmin accounts;
  private final OAuthAccountAdmin oauthAccounts;
  private final CodexOAuthAdmin codexAccounts;
  private final GeminiOAuthAdmin geminiAccounts;
  /** Null when Factory device logins are not wired in: their paths then answer like any unknown admin path. */
  private final DroidOAuthAdmin droidAccounts;
  private final KeyAdmin keys;
  private final UsageRoutes usage;
  private final ClusterAdmin cluster;
  private final WebhookRoutes webhooks;
  private final Materializer materializer;
  private final TrustedProxies proxies;
  private final RequestTraces traces;
  private final AdminUserRoutes admins;
  private final AdminAuditHook audit;
  private final AdminLoginRoutes login;
  /** Null when sign-on is not wired in: its paths then answer like any unknown admin path. */
  private final OidcRoutes oidc;
  private final BrandingRoutes branding;
  /** Null when the model map is not wired in: its path then answers like any unknown admin path. */
  private final ModelMapRoutes modelMaps;
  /** Null when the claude-relay-service import is not wired in: its path then answers like any unknown one. */
  private final dev.relaycluster.admin.crs.CrsImport crsImport;

  public AdminRoutes(AdminSessions sessions, AccountAdmin accounts, OAuthAccountAdmin oauthAccounts,
      CodexOAuthAdmin codexAccounts, GeminiOAuthAdmin geminiAccounts, KeyAdmin keys, UsageRoutes usage,
      ClusterAdmin cluster, WebhookRoutes webhooks, Materializer materializer, TrustedProxies proxies,
      RequestTraces traces, AdminUserRoutes admins, AdminAudit audit, Branding branding) {
    this(sessions, accounts, oauthAccounts, codexAccounts, geminiAccounts, keys, usage, cluster, webhooks, materializer,
        proxies, traces, admins, audit, branding, null);
  }

  /** With admin sign-on through OpenID Connect ({@code oidc}; null: off, password login only). */
  public AdminRoutes(AdminSessions sessions, AccountAdmin accounts, OAuthAccountAdmin oauthAccounts,
      CodexOAuthAdmin codexAccounts, GeminiOAuthAdmin geminiAccounts, KeyAdmin keys, UsageRoutes usage,
      ClusterAdmin cluster, WebhookRoutes webhooks, Materializer materializer, TrustedProxies proxies,
      RequestTraces traces, AdminUserRoutes admins, AdminAudit audit, Branding branding, OidcLogin oidc) {
    this(sessions, accounts, oauthAccounts, codexAccounts, geminiAccounts, keys, usage, cluster, webhooks, materializer,
        proxies, traces, admins, audit, branding, oidc, null);
  }

  /** With the operator's model map editable at {@code model-map} ({@code modelMaps}; null: not mounted). */
  public AdminRoutes(AdminSessions sessions, AccountAdmin accounts, OAuthAccountAdmin oauthAccounts,
      CodexOAuthAdmin codexAccounts, GeminiOAuthAdmin geminiAccounts, KeyAdmin keys, UsageRoutes usage,
      ClusterAdmin cluster, WebhookRoutes webhooks, Materializer materializer, TrustedProxies proxies,
      RequestTraces traces, AdminUserRoutes admins, AdminAudit audit, Branding branding, OidcLogin oidc,
      ModelMaps modelMaps) {
    this(sessions, accounts, oauthAccounts, codexAccounts, geminiAccounts, keys, usage, cluster, webhooks, materializer,
        proxies, traces, admins, audit, branding, oidc, modelMaps, null, null);
  }

  /**
   * With Factory (droid-oauth) device logins at {@code accounts/droid-oauth/…} ({@code droidAccounts}) and the
   * import from claude-relay-service at {@code import/crs} ({@code crsImport}); null: not mounted.
   */
  public AdminRoutes(AdminSessions sessions, AccountAdmin accounts, OAuthAccountAdmin oauthAccounts,
      CodexOAuthAdmin codexAccounts, GeminiOAuthAdmin geminiAccounts, KeyAdmin keys, UsageRoutes usage,
      ClusterAdmin cluster, WebhookRoutes webhooks, Materializer materializer, TrustedProxies proxies,
      RequestTraces traces, AdminUserRoutes admins, AdminAudit audit, Branding branding, OidcLogin oidc,
      ModelMaps modelMaps, DroidOAuthAdmin droidAccounts, dev.relaycluster.admin.crs.CrsImport crsImport) {
    this.droidAccounts = droidAccounts;
    this.crsImport = crsImport;
    this.modelMaps = modelMaps == null ? null : new ModelMapRoutes(modelMaps, materializer);
    this.proxies = proxies;
    this.admins = admins;
    this.audit = new AdminAuditHook(audit, proxies);
    this.login = new AdminLoginRoutes(sessions, this.audit, proxies, materializer,
        oidc == null ? OidcSettings.OFF : oidc.settings());
    this.oidc = oidc == null ? null : new OidcRoutes(oidc, this.audit, proxies, materializer);
    this.traces = traces;
    this.oauthAccounts = oauthAccounts;
    this.codexAccounts = codexAccounts;
    this.geminiAccounts = geminiAccounts;
    this.cluster = cluster;
    this.webhooks = webhooks;
    this.sessions = sessions;
    this.accounts = accounts;
    this.keys = keys;
    this.usage = usage;
    this.materializer = materializer;
    this.branding = new BrandingRoutes(branding, materializer);
  }

  private static final List<HttpHeader> NO_STORE = List.of(RawHeader.create("cache-control", "no-store"),
      RawHeader.create("pragma", "no-cache"));

  public Route route() {
    // Admin answers (the login token, account details, keys shown once) must never sit in a cache.
    return pathPrefix(segment("admin").slash("api"), () -> respondWithHeaders(NO_STORE, () -> concat(
        login.route(),
        // Sign-on's start, callback and code exchange are public, like the login.
        oidc == null ? reject() : oidc.route(),
        branding.publicRoute(),
        // A session store that cannot be read answers like every admin outage (503), not 500.
        extractRequest(req -> onComplete(sessions.authenticate(bearer(req).orElse(null)), checked -> checked.isFailure()
            ? complete(AdminCalls.error(checked.failed().get()))
            : checked.get()
                .map(s -> permitted(s, req))
                .orElseGet(() -> complete(JsonResponses.error(401, "authentication_error",
                    "log in first: POST /admin/api/login, then send Authorization: Bearer <token>"))))))));
  }

  /**
   * The role check for every endpoint below ({@link AdminPermissions}), then, for a write, the body read
   * once (so the call and the audit log both see it) and the audit log around the call.
   */
  private Route permitted(AdminSession session, HttpRequest req) {
    List<String> path = apiPath(req);
    String method = req.method().name();
    if (session.enrolOnly() && !AdminPermissions.allowedWhileEnrolling(method, path)) {
      return completeWithFuture(audit.denied(session, req, path).thenApply(v -> JsonResponses.error(403,
          "permission_error", "two-factor sign-in is required: enrol first with POST /admin/api/me/totp, then "
              + "POST /admin/api/me/totp/confirm")));
    }
    AdminRole least = AdminPermissions.required(method, path);
    if (session.role() == null || !session.role().atLeast(least)) {
      return completeWithFuture(audit.denied(session, req, path).thenApply(v -> JsonResponses.error(403,
          "permission_error", "this needs the " + least.wireName() + " role; you are "
              + (session.role() == null ? "unknown" : session.role().wireName()))));
    }
    if (AdminPermissions.isRead(method)) {
      return authorized(session, req);
    }
    return onComplete(dev.relaycluster.upstream.StrictEntities.of(req.entity(), BODY_TIMEOUT_MILLIS, MAX_ADMIN_BODY,
        materializer), strict -> {
      if (strict.isFailure()) {
        return complete(AdminCalls.error(strict.failed().get()));
      }
      HttpRequest strictReq = req.withEntity(strict.get());
      return mapRequest(r -> strictReq, () -> mapRouteResultWith(audit.after(session, strictReq, path),
          () -> authorized(session, strictReq)));
    });
  }

  /** Factory (droid-oauth) device logins: start one, then follow it until its account is created. */
  private Route droidRoutes(HttpRequest req) {
    return concat(
        path(segment("accounts").slash("droid-oauth").slash("device-authorization"), () -> post(
            () -> completeWithFuture(withErrors(json(req).thenCompose(droidAccounts::start)
                .thenApply(JsonResponses::ok))))),
        path(segment("accounts").slash("droid-oauth").slash("device-authorization").slash(PathMatchers.segment()),
            flowId -> get(() -> completeWithFuture(withErrors(droidAccounts.status(flowId).thenApply(s -> {
              ObjectNode out = JsonResponses.MAPPER.createObjectNode();
              out.put("status", s.status());
              if (s.account() != null) {
                out.set("account", account(s.account()));
              }
              if (s.error() != null) {
                out.put("error", s.error());
              }
              return JsonResponses.ok(out);
            }))))));
  }

  /** The path segments after /admin/api. */
  private static List<String> apiPath(HttpRequest req) {
    List<String> segments = new java.util.ArrayList<>();
    req.getUri().pathSegments().forEach(segments::add);
    return segments.size() <= 2 ? List.of() : List.copyOf(segments.subList(2, segments.size()));
  }

  private Route authorized(AdminSession session, HttpRequest req) {
    return concat(
        path("logout", () -> post(() -> completeWithFuture(withErrors(
            sessions.logout(bearer(req).orElse("")).thenApply(v -> JsonResponses.ok(Map.of("loggedOut", true))))))),
        path("accounts", () -> concat(
            get(() -> complete(JsonResponses.ok(Map.of("data", accounts.list().stream().map(AccountJson::account).toList())))),
            post(() -> completeWithFuture(withErrors(json(req).thenCompose(accounts::create)
                .thenApply(a -> JsonResponses.of(201, account(a)))))))),
        path(segment("accounts").slash("oauth").slash("generate-auth-url"), () -> post(() -> completeWithFuture(
            withErrors(json(req).thenCompose(oauthAccounts::generateAuthUrl).thenApply(JsonResponses::ok))))),
        path(segment("accounts").slash("oauth").slash("exchange-code"), () -> post(() -> completeWithFuture(
            withErrors(json(req).thenCompose(oauthAccounts::exchangeCode).thenApply(a -> JsonResponses.of(201, account(a))))))),
        path(segment("accounts").slash("openai-oauth").slash("generate-auth-url"), () -> post(() -> completeWithFuture(
            withErrors(json(req).thenCompose(codexAccounts::generateAuthUrl).thenApply(JsonResponses::ok))))),
        path(segment("accounts").slash("openai-oauth").slash("exchange-code"), () -> post(() -> completeWithFuture(
            withErrors(json(req).thenCompose(codexAccounts::exchangeCode).thenApply(a -> JsonResponses.of(201, account(a))))))),
        path(segment("accounts").slash("gemini-oauth").slash("generate-auth-url"), () -> post(() -> completeWithFuture(
            withErrors(json(req).thenCompose(geminiAccounts::generateAuthUrl).thenApply(JsonResponses::ok))))),
        path(segment("accounts").slash("gemini-oauth").slash("exchange-code"), () -> post(() -> completeWithFuture(
            withErrors(json(req).thenCompose(geminiAccounts::exchangeCode).thenApply(a -> JsonResponses.of(201, account(a))))))),
        path(segment("accounts").slash("gemini-oauth").slash("import-creds"), () -> post(() -> completeWithFuture(
            withErrors(json(req).thenCompose(geminiAccounts::importCreds).thenApply(a -> JsonResponses.of(201, account(a))))))),
        droidAccounts == null ? reject() : droidRoutes(req),
        path(segment("accounts").slash(PathMatchers.segment()).slash("reset"), id -> post(() -> completeWithFuture(
            withErrors(accounts.reset(id).thenApply(a -> JsonResponses.ok(account(a))))))),
        path(segment("accounts").slash(PathMatchers.segment()).slash("test"), id -> post(() -> completeWithFuture(
            withErrors(accounts.test(id).thenApply(JsonResponses::ok))))),
        path(segment("accounts").slash(PathMatchers.segment()).slash("history"), id -> get(() -> completeWithFuture(
            withErrors(accounts.history(id).thenApply(AccountHistoryJson::of))))),
        path(segment("accounts").slash(PathMatchers.segment()), id -> concat(
            get(() -> completeWithFuture(withErrors(accounts.detail(id)
                .thenApply(d -> JsonResponses.ok(AccountJson.detail(d)))))),
            patch(() -> completeWithFuture(withErrors(json(req).thenCompose(body -> accounts.update(id, body))
                .thenApply(a -> JsonResponses.ok(account(a)))))),
            delete(() -> {
              String name = name(id);
              return completeWithFuture(withErrors(accounts.delete(id).thenApply(d -> JsonResponses.ok(
                  Map.of("id", id, "name", name, "deleted", true)))));
            }))),
        crsImport == null ? reject() : path(segment("import").slash("crs"), () -> post(() -> completeWithFuture(
            withErrors(json(req).thenCompose(crsImport::run).thenApply(JsonResponses::ok))))),
        path("keys", () -> concat(
            get(() -> parameterOptional("deleted", deleted -> parameterOptional("usage", withUsage -> {
              boolean all = deleted.map("true"::equals).orElse(false);
              if (withUsage.map("true"::equals).orElse(false)) {
                return completeWithFuture(withErrors(keys.listWithUsage(all).thenApply(rows -> JsonResponses.ok(
                    Map.of("data", rows.stream().map(e -> e.getValue() == null ? KeyJson.key(e.getKey())
                        : keyWithUsage(e.getValue())).toList())))));
              }
              return complete(JsonResponses.ok(Map.of("data", keys.list(all).stream().map(KeyJson::key).toList())));
            }))),
            post(() -> completeWithFuture(withErrors(json(req).thenCompose(keys::create).thenApply(created -> {
              ObjectNode out = KeyJson.key(created.entry());
              out.put("key", created.plainKey());
              return JsonResponses.of(201, out);
            })))))),
        path(segment("keys").slash(PathMatchers.segment()), id -> concat(
            get(() -> completeWithFuture(withErrors(keys.usage(id).thenApply(u -> JsonResponses.ok(keyWithUsage(u)))))),
            patch(() -> completeWithFuture(withErrors(json(req).thenCompose(body -> keys.update(id, body))
                .thenApply(k -> JsonResponses.ok(KeyJson.key(k)))))),
            delete(() -> completeWithFuture(withErrors(keys.delete(id).thenApply(k -> JsonResponses.ok(KeyJson.key(k)))))))),
        path(segment("keys").slash(PathMatchers.segment()).slash("restore"), id -> post(() ->
            completeWithFuture(withErrors(keys.restore(id).thenApply(k -> JsonResponses.ok(KeyJson.key(k))))))),
        path(segment("keys").slash(PathMatchers.segment()).slash("revoke"), id -> post(() ->
            completeWithFuture(withErrors(keys.revoke(id).thenApply(k -> JsonResponses.ok(KeyJson.key(k))))))),
        path(segment("requests").slash(PathMatchers.segment()).slash("trace"), id -> get(() ->
            completeWithFuture(withErrors(traces.trace(id).thenApply(t -> t.map(JsonResponses::ok).orElseGet(() ->
                JsonResponses.error(404, "not_found_error", "no request with this id is known to the cluster"))))))),
        path("cluster", () -> get(() -> completeWithFuture(withErrors(cluster.describe().thenApply(JsonResponses::ok))))),
        usage.route(),
        webhooks.route(session, req),
        branding.route(req),
        modelMaps == null ? reject() : modelMaps.route(req),
        admins.route(session, req),
        complete(JsonResponses.error(404, "not_found_error", "no such admin endpoint")));
  }

  /** An account's name, for answers that no longer have the account (deleted). */
  private String name(String accountId) {
    return accounts.list().stream().filter(a -> a.id().equals(accountId)).map(PoolEntry::name).findFirst().orElse("");
  }

  private static Optional<String> bearer(HttpRequest req) {
    return req.getHeader("authorization").map(HttpHeader::value)
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).strip());
  }

  /** A key, its usage against its limits, and the flat figures earlier clients read (requests, costMicros, inFlight). */
  static ObjectNode keyWithUsage(KeyUsage u) {
    ObjectNode out = KeyJson.key(u.key());
    out.setAll(KeyJson.usage(u));
    out.put("requests", u.requests()).put("costMicros", u.totalRealMicros()).put("inFlight", u.inFlight());
    return out;
  }

  private CompletionStage<JsonNode> json(HttpRequest req) {
    return AdminCalls.jsonObject(req, MAX_ADMIN_BODY, materializer);
  }
}
