package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@link MockFaults.Wire} of each dialect, built from the mocks' own answers: Anthropic Messages, OpenAI
 * Responses, OpenAI Chat Completions and Gemini (SSE or the JSON array stream). The in-stream errors are the
 * ones each upstream sends: Anthropic's {@code event: error} overloaded_error, the Responses {@code error}
 * event (first) and {@code response.failed} (after output), a Chat chunk {@code {"error":{…}}}, and Google's
 * error object as a stream element.
 */
final class MockFaultWires {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockFaultWires() {}

  static MockFaults.Wire anthropic() {
    return new MockFaults.Wire() {
      public String headers() {
        return "request-id: req_011CFaulty\r\nanthropic-ratelimit-unified-status: allowed\r\n";
      }

      public List<String> events(List<String> deltas) {
        List<String> events = new ArrayList<>();
        String all = MockAnthropic.STREAM;
        events.add(all.substring(0, all.indexOf("event: content_block_start")));
        events.add(all.substring(all.indexOf("event: content_block_start"), all.indexOf("event: ping")));
        for (String d : deltas) {
          ObjectNode e = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
          e.putObject("delta").put("type", "text_delta").put("text", d);
          events.add("event: content_block_delta\ndata: " + e + "\n\n");
        }
        events.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        events.add(all.substring(all.indexOf("event: message_delta"), all.indexOf("event: message_stop")));
        events.add(all.substring(all.indexOf("event: message_stop")));
        return events;
      }

      public int outputEvents() {
        return 2 + MockFaults.DELTAS.size();
      }

      public String whole(String text) {
        ObjectNode m = (ObjectNode) read(MockAnthropic.MESSAGE);
        ((ObjectNode) m.path("content").path(0)).put("text", text);
        return m.toString();
      }

      public String errorFirst() {
        return "event: error\ndata: " + MockAnthropic.OVERLOADED_BODY + "\n\n";
      }

      public String errorAfterOutput() {
        return errorFirst();
      }
    };
  }

  static MockFaults.Wire responses(String model) {
    String id = "resp_fault" + UUID.randomUUID().toString().replace("-", "");
    return new MockFaults.Wire() {
      public String headers() {
        return "x-request-id: req_fault" + id.substring(10, 26) + "\r\n";
      }

      public List<String> events(List<String> deltas) {
        List<String> events = new ArrayList<>();
        for (ObjectNode e : MockOpenAiEvents.textEvents(id, model, deltas, MockOpenAiEvents.textUsage(), null)) {
          events.add(MockOpenAiEvents.sse(e));
        }
        return events;
      }

      public int outputEvents() {
        return 4 + MockFaults.DELTAS.size();
      }

      public String whole(String text) {
        List<ObjectNode> events = MockOpenAiEvents.textEvents(id, model, List.of(text), MockOpenAiEvents.textUsage(),
            null);
        return events.get(events.size() - 1).get("response").toString();
      }

      public String errorFirst() {
        ObjectNode e = MockOpenAiEvents.errorEvent(MockOpenAiEvents.apiError("The server is overloaded or not ready "
            + "yet.", "server_error", "server_is_overloaded"));
        e.put("sequence_number", 0);
        return MockOpenAiEvents.sse(e);
      }

      public String errorAfterOutput() {
        ObjectNode e = MockOpenAiEvents.failedEvent(id, model, MockOpenAiEvents.apiError("The server had an error "
            + "while processing your request. Sorry about that!", "server_error", "server_error"), null);
        return MockOpenAiEvents.sse(e);
      }
    };
  }

  static MockFaults.Wire chat(String model, boolean includeUsage) {
    String id = "chatcmpl-fault" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return new MockFaults.Wire() {
      public String headers() {
        return "x-request-id: req_" + id.substring(9) + "\r\n";
      }

      public List<String> events(List<String> deltas) {
        List<String> events = new ArrayList<>();
        for (ObjectNode c : MockOpenAiChatBodies.textChunks(id, model, deltas, includeUsage)) {
          events.add("data: " + c + "\n\n");
        }
        events.add("data: [DONE]\n\n");
        return events;
      }

      public int outputEvents() {
        return 1 + MockFaults.DELTAS.size();
      }

      public String whole(String text) {
        return MockOpenAiChatBodies.completion(id, model, text, null, null).toString();
      }

      public String errorFirst() {
        return "data: " + MockOpenAiEvents.errorBody(MockOpenAiEvents.apiError("The server had an error while "
            + "processing your request. Sorry about that!", "server_error", null)) + "\n\n";
      }

      public String errorAfterOutput() {
        return errorFirst();
      }
    };
  }

  static MockFaults.Wire gemini(String model, boolean sse) {
    String responseId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    List<ObjectNode> template = MockGeminiAnswers.chunks(model, JSON.createObjectNode(), responseId);
    String error = "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\","
        + "\"status\":\"UNAVAILABLE\"}}";
    return new MockFaults.Wire() {
      public String headers() {
        return MockGeminiWire.GOOGLE_HEADERS;
      }

      public String streamType() {
        return sse ? MockGeminiWire.SSE : MockGeminiWire.JSON;
      }

      public List<String> events(List<String> deltas) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < deltas.size(); i++) {
          boolean last = i == deltas.size() - 1;
          ObjectNode c = withText(template.get(last ? template.size() - 1 : 0), deltas.get(i));
          events.add(sse ? "data: " + c + "\r\n\r\n" : (i == 0 ? "[" : "\n,\r\n") + c + (last ? "\n]" : ""));
        }
        return events;
      }

      public int outputEvents() {
        return MockFaults.DELTAS.size() - 1;
      }

      public String whole(String text) {
        return withText(template.get(template.size() - 1), text).toString();
      }

      public String errorFirst() {
        return sse ? "data: " + error + "\r\n\r\n" : "[" + error + "\n]";
      }

      public String errorAfterOutput() {
        return sse ? "data: " + error + "\r\n\r\n" : "\n,\r\n" + error + "\n]";
      }
    };
  }

  private static ObjectNode withText(ObjectNode chunk, String text) {
    ObjectNode c = chunk.deepCopy();
    ArrayNode parts = JSON.createArrayNode();
    parts.addObject().put("text", text);
    ((ObjectNode) c.path("candidates").path(0).path("content")).set("parts", parts);
    return c;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
