package dev.relaycluster.protocol.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BedrockRequestTest {

  private static JsonNode rewrite(String body, List<String> betas) throws Exception {
    return Json.parse(BedrockRequest.invokeBody(body.getBytes(StandardCharsets.UTF_8), betas));
  }

  @Test
  void modelAndStreamGoTheVersionComesAndEverythingElseStays() throws Exception {
    JsonNode out = rewrite("{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"max_tokens\":64,"
        + "\"system\":[{\"type\":\"text\",\"text\":\"be brief\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi ✓\"}],\"tools\":[{\"name\":\"t\",\"input_schema\":{}}],"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}", List.of());
    assertFalse(out.has("model"));
    assertFalse(out.has("stream"));
    assertFalse(out.has("anthropic_beta"), "no flag, no list");
    assertEquals("bedrock-2023-05-31", out.path("anthropic_version").asText());
    assertEquals(64, out.path("max_tokens").asInt());
    assertEquals("hi ✓", out.path("messages").path(0).path("content").asText());
    assertEquals("ephemeral", out.path("system").path(0).path("cache_control").path("type").asText());
    assertEquals(1024, out.path("thinking").path("budget_tokens").asInt());
    assertEquals("t", out.path("tools").path(0).path("name").asText());
  }

  @Test
  void headerBetaFlagsMoveIntoTheBodyOnlyThoseBedrockTakes() throws Exception {
    JsonNode out = rewrite("{\"model\":\"m\",\"messages\":[],\"anthropic_beta\":[\"own-flag-2025-01-01\"]}",
        List.of("claude-code-20250219,interleaved-thinking-2025-05-14", " context-1m-2025-08-07 ",
            "oauth-2025-04-20,interleaved-thinking-2025-05-14"));
    List<String> flags = Json.mapper().convertValue(out.get("anthropic_beta"),
        Json.mapper().getTypeFactory().constructCollectionType(List.class, String.class));
    assertEquals(List.of("own-flag-2025-01-01", "interleaved-thinking-2025-05-14", "context-1m-2025-08-07"), flags);
  }

  @Test
  void notAnObjectIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> BedrockRequest.invokeBody("[1]".getBytes(StandardCharsets.UTF_8), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> BedrockRequest.invokeBody("{not json".getBytes(StandardCharsets.UTF_8), List.of()));
  }
}
