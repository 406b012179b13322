package dev.relaycluster.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.usage.RequestLogRow;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortalJsonTest {
  private static RequestLogRow row(String served) {
    return row(served, "openai-chat", "anthropic");
  }

  private static RequestLogRow row(String served, String clientDialect, String upstreamDialect) {
    return new RequestLogRow("req-1", "2026-12-03T06:11:10.433Z", 1L, "key-1", "account-secret-id", "/v1/messages",
        "claude-sonnet-4-5", served, true, 100, 20, 7, 3, 2, 1, 900, "0.000900", "v1", false, 200, "COMPLETED", true,
        null, 850, 120, 2, "claude-console", 1, 2, 3, 4, 1800, 1.5, 2.0, 700, "claude-code", "2.1.0",
        "session-hash-xyz", clientDialect, upstreamDialect, "session:account-secret-id=529 overloaded");
  }

  @Test
  void aRequestRowHoldsOnlyWhatItsHolderMaySee() {
    JsonNode r = PortalJson.recent(List.of(row("claude-sonnet-4-5-20250929"))).get(0);
    assertEquals("claude-sonnet-4-5-20250929", r.get("model").asText());
    assertEquals(130, r.get("tokens").asLong());
    assertEquals(1800, r.get("costMicros").asLong(), "rated cost, as the limits count it");
    assertEquals(200, r.get("status").asInt());
    assertEquals("claude-code", r.get("client").asText());
    assertEquals("openai-chat", r.get("clientDialect").asText());
    assertEquals("anthropic", r.get("upstreamDialect").asText());
    String text = r.toString();
    // The route names accounts: the ledger's, not the key holder's.
    for (String hidden : List.of("account-secret-id", "session-hash-xyz", "claude-console", "key-1", "null",
        "overloaded")) {
      assertFalse(text.contains(hidden), hidden + " in " + text);
    }
    assertEquals(Set.of("requestId", "time", "model", "endpoint", "stream", "inputTokens", "outputTokens",
        "cacheReadTokens", "cacheWriteTokens", "tokens", "costMicros", "status", "outcome", "complete", "durationMs",
        "client", "clientDialect", "upstreamDialect"), fields(r));
    assertEquals("claude-sonnet-4-5", PortalJson.recent(List.of(row(null))).get(0).get("model").asText());
  }

  @Test
  void aRowLoggedBeforeDialectsWereRecordedLeavesThemOut() {
    JsonNode r = PortalJson.recent(List.of(row("claude-sonnet-4-5", null, null))).get(0);
    assertFalse(r.has("clientDialect"), r.toString());
    assertFalse(r.has("upstreamDialect"), r.toString());
    JsonNode same = PortalJson.recent(List.of(row("claude-sonnet-4-5", "anthropic", "anthropic"))).get(0);
    assertEquals("anthropic", same.get("clientDialect").asText());
    assertEquals("anthropic", same.get("upstreamDialect").asText());
  }

  @Test
  void theSetupAnswerNamesThePlaceholderAndEachPartsFile() {
    JsonNode s = PortalJson.setup("https://r.example", true, SetupSnippets.forKey("https://r.example", Set.of("openai")));
    assertEquals("https://r.example", s.get("baseUrl").asText());
    assertEquals("YOUR_RELAY_KEY", s.get("keyPlaceholder").asText());
    assertEquals("codex", s.get("snippets").get(0).get("client").asText());
    assertEquals("~/.codex/config.toml", s.get("snippets").get(0).get("parts").get(0).get("file").asText());
    assertFalse(s.get("snippets").get(0).get("parts").get(1).has("file"));
    assertFalse(s.toString().contains("null"));
  }

  private static Set<String> fields(JsonNode n) {
    Set<String> out = new java.util.TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
