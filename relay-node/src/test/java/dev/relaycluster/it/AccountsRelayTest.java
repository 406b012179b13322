package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.MockOAuthServer;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Accounts that look after themselves, end to end over real HTTP: one embedded node, a mock Anthropic
 * API scripted per credential, and a mock Claude OAuth server. Each test adds its own accounts and
 * deletes them afterwards, so the pool holds only the accounts of the test that runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountsRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private MockAnthropic mock;
  private MockOAuthServer oauth;
  private TestNode node;
  private String key;
  private final List<String> created = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    oauth = new MockOAuthServer();
    Map<String, Object> cfg = new HashMap<>(oauth.nodeConfig());
    cfg.put("relay.upstream.first-byte-timeout", "2s");
    node = TestNode.embedded(Files.createTempDirectory("relay-accounts-"), cfg);
    key = node.createKey("accounts-test", 0).get("key").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    mock.close();
    oauth.close();
  }

  @AfterEach
  void deleteAccounts() throws Exception {
    for (String id : created) {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
    created.clear();
  }

  private String console(String name, String apiKey, int priority) throws Exception {
    String id = node.createConsoleAccount(name, mock.baseUrl(), apiKey, priority);
    created.add(id);
    return id;
  }

  private String oauthAccount(String name, String access, String refresh, long expiresAt) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("type", "claude-oauth")
        .put("baseUrl", mock.baseUrl()).put("accessToken", access).put("refreshToken", refresh)
        .put("expiresAt", expiresAt).put("priority", 10);
    String id = node.admin("POST", "/admin/api/accounts", body).get("id").asText();
    created.add(id);
    return id;
  }

  private JsonNode account(String id) throws Exception {
    return node.admin("GET", "/admin/api/accounts/" + id, null);
  }

  /** A request of a conversation of its own (each test request would otherwise share one sticky session). */
  private RelayCall call(boolean stream) {
    return call(stream, SONNET);
  }

  private RelayCall call(boolean stream, String model) {
    return RelayCall.call(node.baseUrl(), key, stream, model, UUID.randomUUID().toString());
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  // ---- failover

  @Test
  void failsOverAcrossThreeAccountsWhenTheFirstTwoRefuse() throws Exception {
    String k1 = unique("sk-first");
    String k2 = unique("sk-second");
    String k3 = unique("sk-third");
    String a1 = console("first", k1, 1);
    String a2 = console("second", k2, 2);
    console("third", k3, 3);
    mock.script(k1, Scripted.overloaded());
    mock.script(k2, Scripted.serverError());

    RelayCall r = call(false);

    assertEquals(200, r.status(), r.body());
    assertEquals(MockAnthropic.MESSAGE, r.body());
    assertEquals(1, mock.calls(k1));
    assertEquals(1, mock.calls(k2));
    assertEquals(1, mock.calls(k3));
    JsonNode first = account(a1);
    assertEquals("cooling", first.get("state").asText(), first.toString());
    assertEquals(529, first.get("cooldowns").get(0).get("status").asInt());
    assertTrue(first.get("cooldowns").get(0).get("transient").asBoolean());
    assertEquals(529, first.get("recentErrors").get(0).get("status").asInt());
    assertEquals(500, account(a2).get("cooldowns").get(0).get("status").asInt());
    JsonNode history = node.admin("GET", "/admin/api/accounts/" + a1 + "/history", null).get("data");
    assertEquals("cooldown-started", history.get(0).get("kind").asText(), history.toString());
    assertEquals(529, history.get(0).get("status").asInt(), history.toString());
  }

  @Test
  void anAccountThatSendsHeadersAndThenNothingIsFailedOverBeforeAnyByteReachesTheClient() throws Exception {
    String k1 = unique("sk-stalls");
    String k2 = unique("sk-answers");
    String stalling = console("stalls", k1, 1);
    console("answers", k2, 2);
    mock.script(k1, Scripted.stallAfterHeaders());

    RelayCall r = call(true);

    assertEquals(200, r.status(), r.body());
    assertTrue(r.body().startsWith("event: message_start"), "one whole stream, from the second account: " + r.body());
    assertTrue(r.body().contains("event: message_stop"), r.body());
    assertEquals(1, mock.calls(k1));
    assertEquals(1, mock.calls(k2));
    JsonNode first = account(stalling);
    assertEquals("cooling", first.get("state").asText(), first.toString());
    assertTrue(first.get("cooldowns").get(0).get("reason").asText().contains("no byte"), first.toString());
  }

  @Test
  void whenEveryAccountRefusesTheClientGetsTheLastUpstreamError() throws Exception {
    String k1 = unique("sk-a");
    String k2 = unique("sk-b");
    String k3 = unique("sk-c");
    console("a", k1, 1);
    console("b", k2, 2);
    console("c", k3, 3);
    mock.script(k1, Scripted.serverError());
    mock.script(k2, Scripted.overloaded());
    long reset = System.currentTimeMillis() / 1000 + 3600;
    mock.script(k3, Scripted.rateLimited(reset, null));

    RelayCall r = call(false);

    assertEquals(429, r.status());
    assertEquals(MockAnthropic.RATE_LIMIT_BODY, r.body());
    assertEquals(List.of(1, 1, 1), List.of(mock.calls(k1), mock.calls(k2), mock.calls(k3)), "each account tried once");
  }

  @Test
  void cascadeGuardKeepsHalfThePoolSchedulableAfterTransientErrors() throws Exception {
    String k1 = unique("sk-x");
    String k2 = unique("sk-y");
    String a1 = console("x", k1, 1);
    String a2 = console("y", k2, 1);
    mock.script(k1, Scripted.overloaded());
    mock.script(k2, Scripted.overloaded());
    RelayCall refused = call(false);
    assertEquals(529, refused.status(), "both accounts refused the first request");
    assertEquals("cooling", account(a1).get("state").asText());
    assertEquals("cooling", account(a2).get("state").asText());

    // Both cool for 300 s; without the guard the pool would be empty. With it, one stays schedulable.
    RelayCall next = call(false);
    assertEquals(200, next.status(), next.body());
    assertEquals(3, mock.calls(k1) + mock.calls(k2));
  }

  // ---- each error class drives the account's state

  @Test
  void rateLimitWithAResetForOneFamilyCoolsOnlyThatFamily() throws Exception {
    String k = unique("sk-opus-limited");
    String id = console("opus-limited", k, 1);
    long reset = System.currentTimeMillis() / 1000 + 7200;
    mock.script(k, Scripted.rateLimited(reset, "seven_day_opus"));
    RelayCall limited = call(false, "claude-opus-4-5-20251101");
    assertEquals(429, limited.status());

    JsonNode a = account(id);
    assertEquals("partly_cooling", a.get("state").asText(), a.toString());
    JsonNode mark = a.get("cooldowns").get(0);
    assertEquals("opus", mark.get("family").asText());
    assertEquals(reset * 1000, java.time.Instant.parse(mark.get("until").asText()).toEpochMilli());
    assertFalse(mark.get("transient").asBoolean());

    assertEquals(200, call(false).status(), "sonnet still goes to the account");
    RelayCall opus = call(false, "claude-opus-4-5-20251101");
    assertEquals(503, opus.status(), "opus has no account until the reset");
    assertTrue(opus.body().contains("cooling down"), opus.body());
    assertEquals(2, mock.calls(k));
  }

  @Test
  void rateLimitWithoutAResetCoolsBrieflyAndSuccessClearsIt() throws Exception {
    String k1 = unique("sk-429");
    String k2 = unique("sk-ok");
    String a1 = console("limited", k1, 1);
    console("fine", k2, 2);
    mock.script(k1, Scripted.error(429, MockAnthropic.RATE_LIMIT_BODY, ""));
    assertEquals(200, call(false).status());
    JsonNode mark = account(a1).get("cooldowns").get(0);
    long until = java.time.Instant.parse(mark.get("until").asText()).toEpochMilli();
    assertTrue(until - System.currentTimeMillis() <= 60_000, "seconds, not hours: " + mark);
    assertTrue(mark.get("transient").asBoolean());

    node.admin("POST", "/admin/api/accounts/" + a1 + "/test", null);
    assertEquals("active", account(a1).get("state").asText(), "a success clears the cooldown");
  }

  @Test
  void disabledOrganisationBlocksUntilAnAdminResets() throws Exception {
    String k1 = unique("sk-disabled");
    String k2 = unique("sk-backup");
    String a1 = console("disabled", k1, 1);
    console("backup", k2, 2);
    mock.script(k1, Scripted.orgDisabled());
    assertEquals(200, call(false).status(), "failed over to the backup");
    JsonNode blocked = account(a1);
    assertEquals("blocked", blocked.get("state").asText());
    assertTrue(blocked.get("stateReason").asText().contains("organization has been disabled"));

    assertEquals(200, call(false).status());
    assertEquals(1, mock.calls(k1), "a blocked account gets no more requests");

    JsonNode reset = node.admin("POST", "/admin/api/accounts/" + a1 + "/reset", null);
    assertEquals("active", reset.get("state").asText());
    assertEquals(200, call(false).status());
    assertEquals(2, mock.calls(k1));

    // The account's history, from its journal, newest first: the reset after the block (and between them, the
    // utilisation bands the answers' rate-limit headers reported).
    List<JsonNode> health = new java.util.ArrayList<>();
    node.admin("GET", "/admin/api/accounts/" + a1 + "/history", null).get("data").forEach(e -> {
      if (!e.get("kind").asText().equals("utilisation")) {
        health.add(e);
      }
    });
    assertEquals("reset", health.get(0).get("kind").asText(), health.toString());
    assertEquals("blocked", health.get(1).get("kind").asText(), health.toString());
    assertTrue(health.get(1).get("reason").asText().contains("organization has been disabled"), health.toString());
  }

  @Test
  void apiKeyRefusedIsUnauthorizedAtOnce() throws Exception {
    String k1 = unique("sk-revoked");
    String k2 = unique("sk-good");
    String a1 = console("revoked", k1, 1);
    console("good", k2, 2);
    mock.always(k1, Scripted.unauthorized());
    assertEquals(200, call(false).status());
    assertEquals("unauthorized", account(a1).get("state").asText());
    assertEquals(1, mock.calls(k1), "no refresh and no retry for an API key");
  }

  @Test
  void headroomPrefersTheEmptierAccountAmongEqualPriorities() throws Exception {
    String busy = unique("sk-busy");
    String idle = unique("sk-idle");
    String busyId = console("busy", busy, 5);
    String idleId = console("idle", idle, 5);
    mock.utilisation(busy, "0.9");
    mock.utilisation(idle, "0.1");
    // Least recently used spreads the first two requests, which teach the pool both utilisations.
    assertEquals(200, call(false).status());
    assertEquals(200, call(false).status());
    assertEquals(1, mock.calls(busy));
    awaitUtilisation(busyId, 0.9);
    awaitUtilisation(idleId, 0.1);
    for (int i = 0; i < 4; i++) {
      assertEquals(200, call(false).status());
    }
    assertEquals(1, mock.calls(busy), "the emptier account took every later request");
    assertEquals(5, mock.calls(idle));
  }

  private void awaitUtilisation(String id, double expected) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    JsonNode a = account(id);
    while (a.get("utilisation").asDouble(-1) != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
      a = account(id);
    }
    assertEquals(expected, a.get("utilisation").asDouble(-1), a.toString());
  }

  // ---- OAuth tokens

  @Test
  void a401RefreshesTheTokenOnceAndRetriesTheRequest() throws Exception {
    String access = unique("sk-ant-oat01-expired");
    String refresh = unique("sk-ant-ort01-live");
    oauth.acceptRefreshToken(refresh);
    String id = oauthAccount("oauth-401", access, refresh, System.currentTimeMillis() + 3_600_000);
    mock.always(access, Scripted.unauthorized());
    int before = oauth.refreshCalls();

    RelayCall r = call(false);

    assertEquals(200, r.status(), r.body());
    assertEquals(1, oauth.refreshCalls() - before);
    assertEquals(1, mock.calls(access));
    assertFalse(oauth.refreshTokenLive(refresh), "the refresh token was used up");
    assertEquals("active", account(id).get("state").asText());

    // The rotated refresh token was kept: the next forced refresh presents it, not the used one.
    String newAccess = oauth.lastAccessToken();
    String rotated = oauth.lastRefreshToken();
    assertEquals(1, mock.calls(newAccess), "the retry used the new access token");
    mock.always(access, null);
    mock.script(newAccess, Scripted.unauthorized());
    assertEquals(200, call(false).status());
    assertEquals(2, oauth.refreshCalls() - before);
    List<String> presented = oauth.refreshTokensPresented();
    assertEquals(List.of(refresh, rotated), presented.subList(presented.size() - 2, presented.size()));
  }

  @Test
  void a401AfterTheRefreshMarksTheAccountUnauthorized() throws Exception {
    String access = unique("sk-ant-oat01-dead");
    String refresh = unique("sk-ant-ort01-dead");
    // The refresh token is not live on the OAuth server: the refresh is refused (invalid_grant).
    String id = oauthAccount("oauth-dead", access, refresh, System.currentTimeMillis() + 3_600_000);
    String k2 = unique("sk-fallback");
    console("fallback", k2, 20);
    mock.always(access, Scripted.unauthorized());

    RelayCall r = call(false);

    assertEquals(200, r.status(), "failed over after the refresh failed");
    JsonNode a = account(id);
    assertEquals("unauthorized", a.get("state").asText(), a.toString());
    assertTrue(a.get("stateReason").asText().contains("refresh"), a.toString());
    assertEquals(1, mock.calls(access));
  }

  @Test
  void manyRequestsWantingARefreshAtOnceCauseExactlyOneRefresh() throws Exception {
    String access = unique("sk-ant-oat01-expiring");
    String refresh = unique("sk-ant-ort01-expiring");
    oauth.acceptRefreshToken(refresh);
    // Expires within refresh-ahead (5 min): the first acquire starts a refresh, the others wait for it.
    oauthAccount("oauth-expiring", access, refresh, System.currentTimeMillis() + 60_000);
    oauth.refreshDelay(300);
    int before = oauth.refreshCalls();
    try {
      List<CompletableFuture<RelayCall>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(RelayCall.send(node.baseUrl(), key, i % 2 == 0, SONNET, null));
      }
      for (CompletableFuture<RelayCall> c : calls) {
        RelayCall r = c.join();
        assertEquals(200, r.status(), r.body());
      }
    } finally {
      oauth.refreshDelay(0);
    }
    assertEquals(1, oauth.refreshCalls() - before, "one refresh for sixteen concurrent requests");
    assertEquals(0, mock.calls(access), "nobody used the expiring token");
    assertEquals(List.of(refresh), oauth.refreshTokensPresented().subList(
        oauth.refreshTokensPresented().size() - 1, oauth.refreshTokensPresented().size()));
  }

  @Test
  void addsAnAccountWithThePkceLoginFlow() throws Exception {
    JsonNode generated = node.admin("POST", "/admin/api/accounts/oauth/generate-auth-url", JSON.createObjectNode());
    String url = generated.get("authUrl").asText();
    Map<String, String> q = query(url);
    assertTrue(url.startsWith(oauth.baseUrl() + "/oauth/authorize?"), url);
    assertEquals(MockOAuthServer.CLIENT_ID, q.get("client_id"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertEquals(MockOAuthServer.REDIRECT_URI, q.get("redirect_uri"));
    assertTrue(q.get("scope").contains("user:profile") && q.get("scope").contains("user:inference"));
    String code = oauth.issueCode(q.get("code_challenge"), q.get("scope"));

    ObjectNode wrongState = JSON.createObjectNode().put("sessionId", generated.get("sessionId").asText())
        .put("code", code + "#not-the-state");
    HttpResponse<String> refused = node.send("POST", "/admin/api/accounts/oauth/exchange-code", wrongState,
        node.login());
    assertEquals(400, refused.statusCode(), refused.body());

    ObjectNode exchange = JSON.createObjectNode().put("sessionId", generated.get("sessionId").asText())
        .put("code", MockOAuthServer.REDIRECT_URI + "?code=" + code + "&state=" + q.get("state"))
        .put("name", "max-account").put("baseUrl", mock.baseUrl()).put("priority", 1).put("priceMultiplier", 0.5);
    exchange.putArray("groups").add("team-a");
    HttpResponse<String> r = node.send("POST", "/admin/api/accounts/oauth/exchange-code", exchange, node.login());
    assertEquals(201, r.statusCode(), r.body());
    JsonNode account = JSON.readTree(r.body());
    created.add(account.get("id").asText());
    assertEquals("claude-oauth", account.get("type").asText());
    assertEquals("max", account.get("tier").asText());
    assertEquals(0.5, account.get("priceMultiplier").asDouble());
    assertEquals("team-a", account.get("groups").get(0).asText());
    assertFalse(r.body().contains("sk-ant-"), r.body());
    assertEquals(200, call(false).status());
    assertEquals(1, mock.calls(oauth.lastAccessToken()), "requests use the exchanged access token");

    HttpResponse<String> again = node.send("POST", "/admin/api/accounts/oauth/exchange-code", exchange, node.login());
    assertEquals(400, again.statusCode(), "a login session is used once");
  }

  @Test
  void setupTokenAccountsAskForInferenceOnlyAndServeRequests() throws Exception {
    JsonNode generated = node.admin("POST", "/admin/api/accounts/oauth/generate-auth-url",
        JSON.createObjectNode().put("setupToken", true));
    Map<String, String> q = query(generated.get("authUrl").asText());
    assertEquals("user:inference", q.get("scope"));
    String code = oauth.issueCode(q.get("code_challenge"), q.get("scope"));
    JsonNode account = node.admin("POST", "/admin/api/accounts/oauth/exchange-code", JSON.createObjectNode()
        .put("sessionId", generated.get("sessionId").asText()).put("code", code + "#" + q.get("state"))
        .put("baseUrl", mock.baseUrl()));
    created.add(account.get("id").asText());
    assertEquals("unknown", account.get("tier").asText(), "no profile scope, no tier");
    assertEquals("owner@example.com", account.get("name").asText());

    JsonNode test = node.admin("POST", "/admin/api/accounts/" + account.get("id").asText() + "/test", null);
    assertTrue(test.get("ok").asBoolean(), test.toString());
    assertEquals(200, test.get("status").asInt());
  }

  @Test
  void badProxiesAndMultipliersAreRefused() throws Exception {
    ObjectNode bad = JSON.createObjectNode().put("name", "x").put("type", "claude-console").put("apiKey", "sk-x")
        .put("baseUrl", mock.baseUrl()).put("proxy", "ftp://host:21");
    HttpResponse<String> r = node.send("POST", "/admin/api/accounts", bad, node.login());
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("proxy"), r.body());
    bad.put("proxy", "http://h:8080").put("priceMultiplier", 0);
    HttpResponse<String> m = node.send("POST", "/admin/api/accounts", bad, node.login());
    assertEquals(400, m.statusCode());
    assertTrue(m.body().contains("priceMultiplier"), m.body());
  }

  @Test
  void proxiesAreStoredSealedAndShownWithoutTheirPassword() throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", "proxied").put("type", "claude-console")
        .put("apiKey", unique("sk-proxied")).put("baseUrl", mock.baseUrl())
        .put("proxy", "socks5://user:secret-pass@127.0.0.1:1080");
    HttpResponse<String> r = node.send("POST", "/admin/api/accounts", body, node.login());
    assertEquals(201, r.statusCode(), r.body());
    String id = JSON.readTree(r.body()).get("id").asText();
    created.add(id);
    assertEquals("socks5://user:****@127.0.0.1:1080", JSON.readTree(r.body()).get("proxy").asText());
    assertFalse(r.body().contains("secret-pass"));
    JsonNode changed = node.admin("PATCH", "/admin/api/accounts/" + id,
        JSON.createObjectNode().put("proxy", "http://10.0.0.1:3128"));
    assertEquals("http://10.0.0.1:3128", changed.get("proxy").asText());
    JsonNode removed = node.admin("PATCH", "/admin/api/accounts/" + id, JSON.createObjectNode().putNull("proxy"));
    assertTrue(removed.get("proxy").isNull(), removed.toString());
  }

  // ---- a stream cut after bytes reached the client is not failed over

  @Test
  void aStreamCutAfterTheFirstBytesEndsWithAnSseErrorAndKeepsTheUsage() throws Exception {
    String k1 = unique("sk-cut");
    String k2 = unique("sk-spare");
    console("cut", k1, 1);
    console("spare", k2, 2);
    mock.script(k1, Scripted.streamCut());
    JsonNode keyInfo = node.createKey("stream-cut", 0);
    RelayCall r = RelayCall.call(node.baseUrl(), keyInfo.get("key").asText(), true, SONNET, null);

    assertEquals(200, r.status());
    assertTrue(r.body().startsWith("event: message_start"), r.body());
    int error = r.body().lastIndexOf("event: error\ndata: ");
    assertTrue(error > 0, r.body());
    assertEquals(0, mock.calls(k2), "bytes had reached the client: no failover");
    JsonNode row = node.awaitRequests(keyInfo.get("id").asText(), x -> x.size() == 1).get(0);
    assertEquals("UPSTREAM_FAILED", row.get("outcome").asText());
    assertEquals(1200, row.get("inputTokens").asLong());
  }

  @Test
  void anOverloadAnnouncedInsideAStreamCoolsTheAccount() throws Exception {
    String k = unique("sk-midstream");
    String id = console("midstream", k, 1);
    mock.script(k, Scripted.overloadedMidStream());
    RelayCall r = call(true);
    assertEquals(200, r.status());
    assertTrue(r.body().contains("overloaded_error"), r.body());
    long deadline = System.nanoTime() + 5_000_000_000L;
    JsonNode a = account(id);
    while (a.get("cooldowns").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      a = account(id);
    }
    assertEquals(529, a.get("cooldowns").get(0).get("status").asInt(), a.toString());
  }

  private static Map<String, String> query(String url) {
    Map<String, String> out = new HashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
