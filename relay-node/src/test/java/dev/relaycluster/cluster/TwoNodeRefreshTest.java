package dev.relaycluster.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockOAuthServer;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiAuth;
import dev.relaycluster.testing.NodeProcess;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one cluster (in this JVM, on PostgreSQL and Redis) both want an account's OAuth token
 * refreshed at the same moment: the account's entity lives on one of them, so exactly one refresh
 * reaches the token endpoint and both nodes' requests use its result.
 */
class TwoNodeRefreshTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a test does with two nodes of one cluster. */
  private interface OnTwoNodes {
    void run(TestNode nodeA, TestNode nodeB) throws Exception;
  }

  /** Two nodes of one cluster on a fresh database, with {@code config} on both. */
  private static void onTwoNodes(Map<String, Object> config, OnTwoNodes test) throws Exception {
    String db = TestDatabases.create();
    String redisPrefix = "relay-two-node-" + UUID.randomUUID() + ":";
    int portA = NodeProcess.freePort();
    int portB = NodeProcess.freePort();
    String seed = "pekko://relay@127.0.0.1:" + portA;
    try {
      Map<String, Object> a = new HashMap<>(config);
      a.put("pekko.remote.artery.canonical.port", portA);
      a.put("relay.cluster.seed-nodes", seed);
      Map<String, Object> b = new HashMap<>(config);
      b.put("pekko.remote.artery.canonical.port", portB);
      b.put("relay.cluster.seed-nodes", seed);
      try (TestNode nodeA = TestNode.postgresAndRedis(Files.createTempDirectory("two-a-"), db, redisPrefix, a);
           TestNode nodeB = TestNode.postgresAndRedis(Files.createTempDirectory("two-b-"), db, redisPrefix, b)) {
        test.run(nodeA, nodeB);
      }
    } finally {
      TestDatabases.drop(db);
    }
  }

  @Test
  void twoNodesWantingARefreshAtOnceCauseOneRefresh() throws Exception {
    try (MockAnthropic mock = new MockAnthropic(); MockOAuthServer oauth = new MockOAuthServer()) {
      onTwoNodes(oauth.nodeConfig(), (nodeA, nodeB) -> {
        String refresh = "sk-ant-ort01-" + UUID.randomUUID();
        String access = "sk-ant-oat01-" + UUID.randomUUID();
        oauth.acceptRefreshToken(refresh);
        ObjectNode body = JSON.createObjectNode().put("name", "shared-oauth").put("type", "claude-oauth")
            .put("baseUrl", mock.baseUrl()).put("accessToken", access).put("refreshToken", refresh)
            .put("expiresAt", System.currentTimeMillis() + 60_000);
        String accountId = nodeA.admin("POST", "/admin/api/accounts", body).get("id").asText();
        JsonNode created = nodeA.createKey("two-nodes", 0);
        String key = created.get("key").asText();
        awaitVisible(nodeB, "/admin/api/accounts", accountId);
        awaitVisible(nodeB, "/admin/api/keys", created.get("id").asText());
        oauth.refreshDelay(500);

        List<CompletableFuture<RelayCall>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          calls.add(RelayCall.send(nodeA.baseUrl(), key, false, "claude-sonnet-4-5-20250929", "a-" + i));
          calls.add(RelayCall.send(nodeB.baseUrl(), key, true, "claude-sonnet-4-5-20250929", "b-" + i));
        }
        for (CompletableFuture<RelayCall> c : calls) {
          RelayCall r = c.join();
          assertEquals(200, r.status(), r.body());
        }
        assertEquals(1, oauth.refreshCalls(), "one refresh for both nodes");
        assertEquals(0, mock.calls(access));
        assertEquals(12, mock.calls(oauth.lastAccessToken()));
      });
    }
  }

  /**
   * The same for a ChatGPT (codex-oauth) login, whose refresh tokens rotate and are single-use: a second
   * refresh with the same token would be refused as reused, so every request succeeding proves one refresh.
   */
  @Test
  void twoNodesWantingACodexRefreshAtOnceCauseOneRefreshOfTheRotatingToken() throws Exception {
    try (MockOpenAi mock = new MockOpenAi()) {
      MockOpenAiAuth auth = mock.auth();
      onTwoNodes(auth.nodeConfig(), (nodeA, nodeB) -> {
        String refresh = "rt_seed_" + UUID.randomUUID();
        String stale = "chatgpt-expiring-" + UUID.randomUUID();
        auth.acceptRefreshToken(refresh);
        ObjectNode body = JSON.createObjectNode().put("name", "shared-chatgpt").put("platform", "openai")
            .put("type", "codex-oauth").put("baseUrl", mock.codexBaseUrl()).put("accessToken", stale)
            .put("refreshToken", refresh).put("chatgptAccountId", MockOpenAi.ACCOUNT_ID)
            .put("expiresAt", System.currentTimeMillis() + 60_000);
        String accountId = nodeA.admin("POST", "/admin/api/accounts", body).get("id").asText();
        JsonNode created = nodeA.createKey("two-nodes-codex", 0);
        String key = created.get("key").asText();
        awaitVisible(nodeB, "/admin/api/accounts", accountId);
        awaitVisible(nodeB, "/admin/api/keys", created.get("id").asText());
        int refreshesBefore = auth.refreshCalls();
        auth.refreshDelay(500);

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          calls.add(codexCall(nodeA, key, "a-" + i));
          calls.add(codexCall(nodeB, key, "b-" + i));
        }
        for (CompletableFuture<HttpResponse<String>> c : calls) {
          HttpResponse<String> r = c.join();
          assertEquals(200, r.statusCode(), r.body());
          assertTrue(r.body().contains("response.completed"), r.body());
        }
        assertEquals(1, auth.refreshCalls() - refreshesBefore, "one refresh for both nodes");
        assertEquals(List.of(refresh), auth.refreshTokensPresented());
        String fresh = auth.lastIssued().accessToken();
        assertEquals(0, mock.requests(stale));
        assertEquals(12, mock.requests(fresh), "both nodes use the new token");
        assertTrue(auth.refreshTokenLive(auth.lastIssued().refreshToken()), "the rotated refresh token is kept");
      });
    }
  }

  private static CompletableFuture<HttpResponse<String>> codexCall(TestNode node, String key, String session) {
    String body = "{\"model\":\"gpt-5-codex\",\"stream\":true,\"store\":false,\"input\":[{\"type\":\"message\","
        + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"say hi\"}]}]}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/openai/responses"))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
        .header("authorization", "Bearer " + key).header("session-id", session)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return node.http().sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the node's replica lists the id (accounts and keys reach other nodes by replication). */
  private static void awaitVisible(TestNode node, String path, String id) throws Exception {
    for (int i = 0; i < 100; i++) {
      for (JsonNode item : node.admin("GET", path, null).get("data")) {
        if (item.get("id").asText().equals(id)) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(id + " never reached the second node");
  }
}
