package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link MockOpenAi}'s {@code POST /v1/chat/completions} (API-key accounts only; authentication and the
 * per-credential failures are the mock's). Validation as the API answers it: a body that is not JSON, no
 * {@code model}, no {@code messages} are 400 with OpenAI's bodies. The model picks a scenario:
 * {@code mock-429} / {@code mock-500} (the mock's error answers; {@code gpt-mock-…} names them too), {@code mock-context} (400
 * {@code context_length_exceeded}), {@code mock-break} (a stream cut after its third chunk); any other model
 * answers, echoing the model: a tool call of the request's first function when the last message is a user
 * message containing {@code MOCK_TOOL}, else text ({@link MockOpenAiEvents#TEXT}, or after a tool result
 * {@link MockOpenAiEvents#TOOL_RESULT_PREFIX} and the result). Streams carry the usage chunk only when the
 * request says {@code stream_options.include_usage}, and come in pieces split inside events.
 */
final class MockOpenAiChat {
  static final String PATH = "/chat/completions";
  /** The word in the last user message that makes the answer a tool call. */
  public static final String TOOL_TRIGGER = "MOCK_TOOL";

  /** The mock's own error answer for a status (the failure bodies it sends on every path). */
  interface Failure {
    boolean fail(int status) throws IOException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger IDS = new AtomicInteger();

  private MockOpenAiChat() {}

  static boolean answer(OutputStream out, MockOpenAi.Received req, String headers, Failure failure)
      throws IOException, InterruptedException {
    JsonNode body;
    try {
      body = JSON.readTree(req.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return MockOpenAi.send(out, 400, "Bad Request", error("We could not parse the JSON body of your request. (HINT: "
          + "This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
          + "but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact "
          + "us through our help center at help.openai.com.)", null, null), headers);
    }
    if (!body.hasNonNull("model")) {
      return MockOpenAi.send(out, 400, "Bad Request", error("you must provide a model parameter", null, null), headers);
    }
    if (!body.hasNonNull("messages")) {
      return MockOpenAi.send(out, 400, "Bad Request", error("Missing required parameter: 'messages'.", "messages",
          "missing_required_parameter"), headers);
    }
    String model = body.path("model").asText();
    // "gpt-mock-…" names the scenario too: a name a relay's model routing sends to the OpenAI pool.
    String scenario = model.startsWith("gpt-mock-") ? model.substring(4) : model;
    switch (scenario) {
      case "mock-429" -> {
        return failure.fail(429);
      }
      case "mock-500" -> {
        return failure.fail(500);
      }
      case "mock-context" -> {
        return MockOpenAi.send(out, 400, "Bad Request", error("This model's maximum context length is 128000 tokens."
            + " However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
            "messages", "context_length_exceeded"), headers);
      }
      default -> {
        // answered below
      }
    }
    String id = "chatcmpl-" + String.format("%04x", IDS.incrementAndGet()) + UUID.randomUUID().toString()
        .replace("-", "").substring(0, 20);
    String callId = "call_" + id.substring(9, 29);
    JsonNode messages = body.path("messages");
    JsonNode last = messages.path(messages.size() - 1);
    String tool = "user".equals(last.path("role").asText()) && text(last.path("content")).contains(TOOL_TRIGGER)
        ? firstFunction(body.path("tools")) : null;
    String text = "tool".equals(last.path("role").asText())
        ? MockOpenAiEvents.TOOL_RESULT_PREFIX + text(last.path("content")).strip() : MockOpenAiEvents.TEXT;
    if (!body.path("stream").asBoolean(false)) {
      return MockOpenAi.send(out, 200, "OK", MockOpenAiChatBodies.completion(id, model, text, tool, callId).toString(),
          headers);
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    List<String> deltas = text.equals(MockOpenAiEvents.TEXT) ? MockOpenAiEvents.TEXT_DELTAS : thirds(text);
    List<ObjectNode> chunks = tool != null
        ? MockOpenAiChatBodies.toolChunks(id, model, tool, callId, includeUsage)
        : MockOpenAiChatBodies.textChunks(id, model, deltas, includeUsage);
    MockOpenAi.streamHead(out, headers);
    if (scenario.equals("mock-break")) {
      String sent = MockOpenAiChatBodies.sse(chunks.subList(0, 3), false);
      MockOpenAi.chunk(out, sent + "data: {\"id\":\"" + id + "\",\"obj");
      out.flush();
      return false;
    }
    byte[] bytes = MockOpenAiChatBodies.sse(chunks, true).getBytes(StandardCharsets.UTF_8);
    int[] cuts = {0, 29, bytes.length / 3, bytes.length / 2 + 1, bytes.length - 7, bytes.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      MockOpenAi.chunk(out, bytes, cuts[i], cuts[i + 1] - cuts[i]);
      out.flush();
    }
    MockOpenAi.endChunks(out);
    return true;
  }

  /** OpenAI's error body with a param and a code (either may be null). */
  static String error(String message, String param, String code) {
    ObjectNode error = MockOpenAiEvents.apiError(message, "invalid_request_error", code);
    if (param != null) {
      error.put("param", param);
    }
    return MockOpenAiEvents.errorBody(error);
  }

  /** A message's text: the content string, or its text parts joined. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder s = new StringBuilder();
    for (JsonNode part : content) {
      s.append(part.path("text").asText(""));
    }
    return s.toString();
  }

  private static String firstFunction(JsonNode tools) {
    for (JsonNode t : tools) {
      String name = t.path("function").path("name").asText("");
      if (!name.isEmpty()) {
        return name;
      }
    }
    return "get_weather";
  }

  private static List<String> thirds(String text) {
    int third = Math.max(1, text.length() / 3);
    return List.of(text.substring(0, third), text.substring(third, Math.min(text.length(), 2 * third)),
        text.substring(Math.min(text.length(), 2 * third)));
  }
}
