package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.store.StorageException;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a restart of the embedded node: keys, accounts, usage, admin login; and what refuses to start. */
class NodeRestartTest {
  private static final String BODY =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dataDir;

  @Test
  void keysAccountsAndUsageSurviveARestartAndAWrongEncryptionKeyIsRefused() throws Exception {
    try (MockAnthropic mock = new MockAnthropic()) {
      JsonNode key;
      String accountId;
      try (TestNode first = TestNode.embedded(dataDir, Map.of())) {
        accountId = first.createConsoleAccount("survivor", mock.baseUrl(), "sk-ant-survivor", 5);
        key = first.createKey("survivor-key", 2);
        assertEquals(200, call(first, key.get("key").asText()));
        first.awaitRequests(key.get("id").asText(), rows -> rows.size() == 1);
      }
      assertTrue(Files.exists(dataDir.resolve("encryption.key")), "the generated key is kept in the data directory");

      try (TestNode second = TestNode.embedded(dataDir, Map.of())) {
        assertEquals(200, call(second, key.get("key").asText()), "the key and the account came back from the journal");
        assertEquals("sk-ant-survivor", mock.received().get(1).header("x-api-key"),
            "the account's credential decrypts after the restart");
        JsonNode rows = second.awaitRequests(key.get("id").asText(), r -> r.size() == 2);
        assertEquals(accountId, rows.get(0).get("accountId").asText());
        JsonNode accounts = second.admin("GET", "/admin/api/accounts", null).get("data");
        assertEquals(1, accounts.size());
        assertEquals("survivor", accounts.get(0).get("name").asText());
      }

      StorageException refused = assertThrows(StorageException.class, () -> TestNode.embedded(dataDir,
          Map.of("relay.encryption-key", "a-different-key-that-is-long-enough-0123456789")));
      assertTrue(refused.getMessage().contains("ENCRYPTION_KEY"));
    }
  }

  private static int call(TestNode node, String key) throws Exception {
    HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .header("x-api-key", key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }
}
