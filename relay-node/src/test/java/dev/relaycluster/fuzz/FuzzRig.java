package dev.relaycluster.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockOAuthServer;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node under fuzz: an embedded node whose upstreams are the mock Anthropic, OpenAI and Google servers
 * (one account of each kind the client endpoints reach: claude-console, openai-api, gemini-api, gemini-oauth),
 * OAuth endpoints pointed at mocks, a relay key, and an admin token. The mocks answer 200 to every model the
 * fuzzer names (none is a mock scenario), so a 5xx the clients see is the relay's own.
 */
final class FuzzRig implements AutoCloseable {
  /** Small enough that the fuzzer reaches it; the body-size rules are the same at any size. */
  static final int MAX_BODY = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  final MockAnthropic anthropic;
  final MockOpenAi openai;
  final MockGemini gemini;
  final MockOAuthServer claudeOAuth;
  final TestNode node;
  final String key;
  final String keyId;
  final String adminToken;
  final List<String> accountIds;

  private FuzzRig(MockAnthropic anthropic, MockOpenAi openai, MockGemini gemini, MockOAuthServer claudeOAuth,
      TestNode node, String key, String keyId, String adminToken, List<String> accountIds) {
    this.anthropic = anthropic;
    this.openai = openai;
    this.gemini = gemini;
    this.claudeOAuth = claudeOAuth;
    this.node = node;
    this.key = key;
    this.keyId = keyId;
    this.adminToken = adminToken;
    this.accountIds = accountIds;
  }

  static FuzzRig start() throws Exception {
    Path dataDir = Files.createTempDirectory("relay-fuzz-");
    MockAnthropic anthropic = new MockAnthropic();
    MockOpenAi openai = new MockOpenAi();
    MockGemini gemini = MockGemini.start();
    MockOAuthServer claudeOAuth = new MockOAuthServer();
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("relay.http.max-body-size", MAX_BODY);
    cfg.put("relay.http.header-timeout", "3s");
    cfg.put("relay.http.keep-alive-timeout", "5s");
    cfg.put("relay.http.body-idle-timeout", "2s");
    cfg.put("relay.upstream.response-timeout", "10s");
    cfg.put("relay.accounts.oauth.token-url", claudeOAuth.tokenUrl());
    cfg.put("relay.accounts.oauth.profile-url", claudeOAuth.profileUrl());
    cfg.put("relay.accounts.codex-oauth.token-url", openai.tokenUrl());
    cfg.put("relay.accounts.gemini-oauth.token-url", gemini.tokenUrl());
    cfg.put("relay.accounts.gemini-oauth.userinfo-url", gemini.userinfoUrl());
    cfg.put("relay.accounts.gemini-oauth.code-assist-base-url", gemini.baseUrl());
    cfg.put("relay.accounts.gemini-oauth.client-id", MockGemini.CLIENT_ID);
    cfg.put("relay.accounts.gemini-oauth.client-secret", MockGemini.CLIENT_SECRET);
    TestNode node = TestNode.embedded(dataDir, cfg);
    try {
      String claude = node.createConsoleAccount("fuzz-claude", anthropic.baseUrl(), "sk-ant-api03-fuzz", 10);
      String openaiAccount = account(node, JSON.createObjectNode().put("name", "fuzz-openai").put("platform", "openai")
          .put("type", "openai-api").put("baseUrl", openai.baseUrl()).put("apiKey", MockOpenAi.API_KEY));
      String geminiKey = account(node, JSON.createObjectNode().put("name", "fuzz-gemini-key").put("platform", "gemini")
          .put("type", "gemini-api").put("baseUrl", gemini.baseUrl()).put("apiKey", MockGemini.API_KEY));
      String creds = JSON.createObjectNode().put("access_token", gemini.issueAccessToken())
          .put("refresh_token", MockGemini.REFRESH_TOKEN).put("expiry_date", System.currentTimeMillis() + 3_600_000)
          .put("token_type", "Bearer").toString();
      String geminiLogin = account(node, JSON.createObjectNode().put("name", "fuzz-gemini-login")
          .put("platform", "gemini").put("type", "gemini-oauth").put("baseUrl", gemini.baseUrl())
          .put("credsJson", creds));
      var created = node.createKey("fuzz", 0);
      return new FuzzRig(anthropic, openai, gemini, claudeOAuth, node, created.get("key").asText(),
          created.get("id").asText(), node.login(), List.of(claude, openaiAccount, geminiKey, geminiLogin));
    } catch (Exception e) {
      node.close();
      anthropic.close();
      openai.close();
      gemini.close();
      claudeOAuth.close();
      throw e;
    }
  }

  private static String account(TestNode node, ObjectNode body) throws Exception {
    return node.admin("POST", "/admin/api/accounts", body).get("id").asText();
  }

  int port() {
    return node.node().port();
  }

  /** Forgets what the mocks received (they keep every request, bodies included). */
  void clearMocks() {
    anthropic.clear();
    openai.clear();
    gemini.clear();
  }

  @Override
  public void close() throws Exception {
    node.close();
    anthropic.close();
    openai.close();
    gemini.close();
    claudeOAuth.close();
  }
}
