package dev.relaycluster.it;

import static dev.relaycluster.it.CrossPoolCli.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.CodexCli;
import dev.relaycluster.testing.MockAzureOpenAi;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiEvents;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Codex CLI ({@link CodexCli}, OpenAI Responses over HTTP and, where offered, a WebSocket) through an
 * openai pool that holds only an Azure OpenAI deployment on {@link MockAzureOpenAi}: the prompt is answered,
 * the upstream call went to the v1 Responses API with the deployment as the model and the {@code api-key}
 * header, and the ledger row has Azure's usage to the token, priced as the deployment's model. With the
 * WebSocket declared, Codex's socket is refused (Azure has no socket mode) and it answers over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodexOnAzureTest {
  private static final String KEY_ENV = "RELAY_API_KEY";
  private static final String DEPLOYMENT = "codex-prod";
  private static final String SERVED = "gpt-5-codex";

  private MockAzureOpenAi azure;
  private TestNode node;
  private String account;

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    CodexCli.assumeInstalled();
    azure = new MockAzureOpenAi().deploy(DEPLOYMENT, SERVED);
    node = TestNode.embedded(Files.createTempDirectory("relay-codex-on-azure-"), Map.of());
    ObjectNode body = JSON.createObjectNode().put("name", "azure-codex").put("platform", "openai")
        .put("type", "azure-openai").put("endpoint", azure.endpoint()).put("apiKey", MockAzureOpenAi.API_KEY)
        .put("deployment", DEPLOYMENT).put("model", SERVED);
    account = node.admin("POST", "/admin/api/accounts", body).get("id").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (azure != null) {
      azure.close();
    }
  }

  private void promptIsAnswered(String name, boolean webSocket) throws Exception {
    azure.clear();
    JsonNode key = node.admin("POST", "/admin/api/keys", JSON.createObjectNode().put("name", name));
    CodexCli cli = new CodexCli(dir.resolve(name), node.baseUrl() + "/openai", KEY_ENV, key.get("key").asText(),
        webSocket);
    CodexCli.Result r = cli.exec("-m", "gpt-5.1-codex", "say hi");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(MockOpenAiEvents.TEXT, r.stdout().strip(), r.toString());

    List<MockOpenAi.Received> calls = azure.received();
    assertEquals(1, calls.size(), "one model call");
    MockOpenAi.Received up = calls.get(0);
    assertTrue(up.target().startsWith("/openai/v1/responses"), up.target());
    assertEquals(MockAzureOpenAi.API_KEY, up.header("api-key"), "the account's key went up as api-key");
    assertEquals(DEPLOYMENT, JSON.readTree(up.body()).path("model").asText(), "the deployment is the model");

    JsonNode row = CrossPoolCli.rows(node, key, 1).get(0);
    assertEquals(account, row.get("accountId").asText(), row.toString());
    assertEquals("codex", row.get("client").asText(), row.toString());
    assertEquals(SERVED, row.get("servedModel").asText(), "priced as the deployment's model: " + row);
    JsonNode usage = MockOpenAiEvents.textUsage();
    assertEquals(usage.path("input_tokens").asLong() - usage.path("input_tokens_details").path("cached_tokens").asLong(),
        row.get("inputTokens").asLong(), row.toString());
    assertEquals(usage.path("input_tokens_details").path("cached_tokens").asLong(), row.get("cacheReadTokens").asLong(),
        row.toString());
    assertEquals(usage.path("output_tokens").asLong(), row.get("outputTokens").asLong(), row.toString());
    assertTrue(row.get("costMicros").asLong() > 0, row.toString());
  }

  @Test
  void aPromptIsAnsweredByTheAzureDeployment() throws Exception {
    promptIsAnswered("codex-on-azure", false);
  }

  @Test
  void withTheWebSocketDeclaredCodexFallsBackToHttp() throws Exception {
    promptIsAnswered("codex-on-azure-ws", true);
  }
}
