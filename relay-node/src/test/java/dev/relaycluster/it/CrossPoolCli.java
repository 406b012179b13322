package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.TestNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the cross-pool CLI tests (issue 20: Claude Code on the openai and gemini pools, Codex on the claude
 * pool) share: a key whose own model map sends the CLI's models to another pool, the key's ledger rows in
 * order, and the check of one row against the upstream's own usage.
 */
final class CrossPoolCli {
  static final ObjectMapper JSON = new ObjectMapper();

  private CrossPoolCli() {}

  /**
   * Creates a key whose per-key model map sends each of {@code matches} to {@code pool}:{@code model}
   * ({@code "modelMap": [{"match": "claude-*", "pool": "openai", "model": "gpt-5.1-codex"}, …]}).
   */
  static JsonNode mappedKey(TestNode node, String name, String pool, String model, String... matches) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("concurrencyLimit", 2);
    ArrayNode map = body.putArray("modelMap");
    for (String match : matches) {
      map.addObject().put("match", match).put("pool", pool).put("model", model);
    }
    return node.admin("POST", "/admin/api/keys", body);
  }

  /** The key's request-log rows, oldest first, once there are exactly n. */
  static List<JsonNode> rows(TestNode node, JsonNode key, int n) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    node.awaitRequests(key.get("id").asText(), r -> r.size() == n).forEach(out::add);
    out.sort(Comparator.comparingLong(r -> r.get("startedAt").asLong()));
    return out;
  }

  /**
   * One upstream call's row: served by {@code account} in {@code pool}, the upstream model as the upstream
   * named it, the client recognised, completed, and the upstream's own usage to the token (input without
   * cache reads; output including reasoning / thoughts).
   */
  static void assertRow(JsonNode row, String account, String pool, String upstreamModel, String client, long input,
      long cacheRead, long output) {
    assertEquals(account, row.get("accountId").asText(), row.toString());
    assertEquals(pool, row.get("pool").asText(), row.toString());
    assertEquals(upstreamModel, row.get("servedModel").asText(), row.toString());
    assertEquals(client, row.get("client").asText(), row.toString());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertTrue(row.get("complete").asBoolean(), row.toString());
    assertEquals(input, row.get("inputTokens").asLong(), row.toString());
    assertEquals(cacheRead, row.get("cacheReadTokens").asLong(), row.toString());
    assertEquals(output, row.get("outputTokens").asLong(), row.toString());
    assertTrue(row.get("costMicros").asLong() > 0, "priced in the upstream's pool: " + row);
    String clientDialect = switch (client) {
      case "claude-code" -> "anthropic";
      case "gemini-cli" -> "gemini";
      default -> "openai-responses";
    };
    String upstreamDialect = switch (pool) {
      case "claude" -> "anthropic";
      case "gemini" -> "gemini";
      default -> "openai-responses";
    };
    assertEquals(clientDialect, row.get("clientDialect").asText(), row.toString());
    assertEquals(upstreamDialect, row.get("upstreamDialect").asText(), "the log names both dialects: " + row);
  }
}
