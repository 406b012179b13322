package dev.relaycluster.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The agent tool loop the mocks play for a CLI whose requests reach them through a converter: MockAnthropic
 * with Claude Code's Bash and Codex's exec_command ({@link MockAnthropicTools}), MockOpenAi with a Bash tool
 * and a MOCK_TOOL prompt ({@link MockOpenAiTools}), MockGemini with a Bash function declaration.
 */
class MockAnthropicToolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String BASH = "{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}},"
      + "{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"},"
      + "\"description\":{\"type\":\"string\"}}}}";

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void claudeCodesBashIsCalledForMockToolAndItsResultQuoted() throws Exception {
    JsonNode first = json("{\"model\":\"m\",\"tools\":[" + BASH + "],\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"<system-reminder>x</system-reminder>\"},{\"type\":\"text\",\"text\":\"MOCK_TOOL run it\"}]},"
        + "{\"role\":\"system\",\"content\":\"env\"}]}");
    MockAnthropicTools.Answer call = MockAnthropicTools.answer(first);
    assertEquals("{\"id\":\"msg_01MockToolCall000000001\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
        + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01MockToolUse0000000001\",\"name\":\"Bash\",\"input\":"
        + "{\"command\":\"echo mock-tool-ok\",\"description\":\"Print the mock marker\"}}],\"stop_reason\":\"tool_use\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":700,\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":300,\"output_tokens\":40,\"service_tier\":\"standard\"}}", call.json("m"));
    String stream = call.stream("m");
    assertTrue(stream.startsWith("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"), stream);
    assertTrue(stream.contains("\"partial_json\":\"{\\\"command\\\":\\\"echo mock-"), stream);
    assertTrue(stream.endsWith("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
        + "\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), stream);

    JsonNode second = json("{\"model\":\"m\",\"tools\":[" + BASH + "],\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"MOCK_TOOL run it\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"Bash\","
        + "\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":"
        + "\"mock-tool-ok\\n\\n<system-reminder>\\nleft\\n</system-reminder>\"}]}]}");
    MockAnthropicTools.Answer text = MockAnthropicTools.answer(second);
    assertEquals("tool said: mock-tool-ok", text.text());
    assertEquals(MockAnthropicTools.FINAL_USAGE, text.usage());
  }

  @Test
  void codexsExecCommandGetsCmdAndItsOutputLineIsQuoted() throws Exception {
    String tools = "[{\"name\":\"exec_command\",\"input_schema\":{\"type\":\"object\",\"properties\":"
        + "{\"cmd\":{\"type\":\"string\"}}}}]";
    MockAnthropicTools.Answer call = MockAnthropicTools.answer(json("{\"tools\":" + tools
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"MOCK_TOOL run it\"}]}"));
    assertEquals("exec_command", call.tool());
    assertEquals("{\"cmd\":\"echo mock-tool-ok\"}", call.input().toString());
    MockAnthropicTools.Answer text = MockAnthropicTools.answer(json("{\"tools\":" + tools
        + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"Chunk ID: 1\\nOutput:\\nnoise from a login shell\\nmock-tool-ok\\n\"}]}]}]}"));
    assertEquals("tool said: mock-tool-ok", text.text());
  }

  @Test
  void withoutAShellToolOrTheTriggerTheMockAnswersAsBefore() throws Exception {
    assertNull(MockAnthropicTools.answer(json("{\"messages\":[{\"role\":\"user\",\"content\":\"MOCK_TOOL\"}]}")));
    assertNull(MockAnthropicTools.answer(json("{\"tools\":[" + BASH
        + "],\"messages\":[{\"role\":\"user\",\"content\":\"say hi\"}]}")));
  }

  @Test
  void mockOpenAiCallsBashForAMockToolPrompt() throws Exception {
    try (MockOpenAi mock = new MockOpenAi()) {
      String body = "{\"model\":\"gpt-5.1-codex\",\"stream\":false,\"input\":[{\"role\":\"user\",\"content\":"
          + "[{\"type\":\"input_text\",\"text\":\"MOCK_TOOL run it\"}]}],\"tools\":[{\"type\":\"function\",\"name\":\"Bash\","
          + "\"parameters\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"},"
          + "\"description\":{\"type\":\"string\"}}}}]}";
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mock.apiBaseUrl() + "/responses"))
          .header("authorization", "Bearer " + MockOpenAi.API_KEY).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode call = JSON.readTree(r.body()).path("output").get(0);
      assertEquals("function_call", call.path("type").asText(), r.body());
      assertEquals("Bash", call.path("name").asText());
      assertEquals("{\"command\":\"echo mock-tool-ok\",\"description\":\"Print the mock marker\"}",
          call.path("arguments").asText());
    }
  }

  @Test
  void mockGeminiCallsBashAndQuotesItsResult() throws Exception {
    JsonNode tools = json("[{\"functionDeclarations\":[{\"name\":\"Read\"},{\"name\":\"Bash\"}]}]");
    assertEquals("Bash", MockGeminiAnswers.toolName(tools));
    JsonNode contents = json("[{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"response\":"
        + "{\"content\":\"mock-tool-ok\\n\\n<system-reminder>\\nleft\\n</system-reminder>\"}}}]}]");
    assertEquals("mock-tool-ok", MockGeminiAnswers.toolOutput(contents));
  }
}
