package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * After a restart the key directory is rebuilt from the journal's definition events alone: settings,
 * soft deletes and activations come back, and the static policy holds before any key entity has run.
 */
class KeyDirectoryRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private static int call(TestNode node, String key, String model) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .header("content-type", "application/json").header("x-api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
    return node.http().send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static JsonNode listed(TestNode node, String id) throws Exception {
    for (JsonNode k : node.admin("GET", "/admin/api/keys?deleted=true", null).get("data")) {
      if (k.get("id").asText().equals(id)) {
        return k;
      }
    }
    throw new AssertionError("key " + id + " not listed");
  }

  @Test
  void onTheEmbeddedProfile() throws Exception {
    Path dir = Files.createTempDirectory("relay-keys-restart-");
    settingsDeletesAndActivationsSurviveARestart(() -> TestNode.embedded(dir, Map.of()));
  }

  @Test
  void onPostgresAndRedis() throws Exception {
    Path dir = Files.createTempDirectory("relay-keys-restart-");
    String database = TestDatabases.create();
    String prefix = "relay-keys-restart-" + java.util.UUID.randomUUID() + ":";
    try {
      settingsDeletesAndActivationsSurviveARestart(() -> TestNode.postgresAndRedis(dir, database, prefix, Map.of()));
    } finally {
      TestDatabases.drop(database);
    }
  }

  private interface NodeStarter {
    TestNode start() throws Exception;
  }

  private void settingsDeletesAndActivationsSurviveARestart(NodeStarter starter) throws Exception {
    try (MockAnthropic mock = new MockAnthropic()) {
      String restricted;
      String restrictedId;
      String deleted;
      String deletedId;
      String activatedId;
      String activatedAt;
      try (TestNode node = starter.start()) {
        node.createConsoleAccount("a", mock.baseUrl(), "sk-ant-api03-restart", 10);
        JsonNode r = node.admin("POST", "/admin/api/keys", JSON.readTree(
            "{\"name\":\"restricted\",\"blockedModels\":[\"claude-opus-*\"],\"dailyCostLimit\":7.5}"));
        restricted = r.get("key").asText();
        restrictedId = r.get("id").asText();
        JsonNode d = node.admin("POST", "/admin/api/keys", JSON.readTree("{\"name\":\"to delete\"}"));
        deleted = d.get("key").asText();
        deletedId = d.get("id").asText();
        node.admin("DELETE", "/admin/api/keys/" + deletedId, null);
        JsonNode a = node.admin("POST", "/admin/api/keys", JSON.readTree(
            "{\"name\":\"activation\",\"expiry\":{\"mode\":\"activation\",\"hours\":5}}"));
        activatedId = a.get("id").asText();
        assertEquals(200, call(node, a.get("key").asText(), SONNET));
        activatedAt = listed(node, activatedId).get("activatedAt").asText();
      }
      try (TestNode node = starter.start()) {
        JsonNode r = listed(node, restrictedId);
        assertEquals("claude-opus-*", r.get("blockedModels").get(0).asText());
        assertEquals(0, new java.math.BigDecimal("7.5").compareTo(r.get("dailyCostLimit").decimalValue()));
        assertEquals(403, call(node, restricted, "claude-opus-4-1-20250805"));
        assertEquals(200, call(node, restricted, SONNET));
        assertEquals("deleted", listed(node, deletedId).get("status").asText());
        assertEquals(401, call(node, deleted, SONNET));
        JsonNode a = listed(node, activatedId);
        assertEquals(activatedAt, a.get("activatedAt").asText());
        assertTrue(a.has("expiresAt"));
      }
    }
  }
}
