package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies {@link MockOpenAi} sends, in the OpenAI Responses wire format: the response object, the
 * SSE / WebSocket event sequence of a text answer and of a function call, usage blocks and error
 * bodies. Every event is one JSON object with {@code type} and {@code sequence_number}; as SSE it is
 * written as {@code event: <type>} plus {@code data: <json>}, over a WebSocket as one text frame.
 */
public final class MockOpenAiEvents {
  /** The text of the normal answer, sent as the deltas of {@link #TEXT_DELTAS}. */
  public static final String TEXT = "Hello from the mock — ünïcödé 🌍";
  public static final List<String> TEXT_DELTAS = List.of("Hello", " from", " the mock", " — ünïcödé", " 🌍");

  /** Usage of every normal answer (text, and the text that follows a tool result). */
  public static final int INPUT_TOKENS = 1200;
  public static final int CACHED_TOKENS = 200;
  /** input_tokens_details.cache_write_tokens (newer API field the SDK requires); always 0 here. */
  public static final int CACHE_WRITE_TOKENS = 0;
  public static final int OUTPUT_TOKENS = 300;
  public static final int REASONING_TOKENS = 100;
  public static final int TOTAL_TOKENS = 1500;

  /** Usage of the answer that is a function call ({@code mock-tool}'s first step). */
  public static final int TOOL_INPUT_TOKENS = 900;
  public static final int TOOL_CACHED_TOKENS = 100;
  public static final int TOOL_OUTPUT_TOKENS = 60;
  public static final int TOOL_REASONING_TOKENS = 20;
  public static final int TOOL_TOTAL_TOKENS = 960;

  /** Usage of a compaction ({@code /responses/compact}). */
  public static final int COMPACT_INPUT_TOKENS = 5000;
  public static final int COMPACT_CACHED_TOKENS = 0;
  public static final int COMPACT_OUTPUT_TOKENS = 700;
  public static final int COMPACT_REASONING_TOKENS = 0;
  public static final int COMPACT_TOTAL_TOKENS = 5700;

  /** The command {@code mock-tool} asks the client to run, and what it prints. */
  public static final String TOOL_COMMAND = "echo mock-tool-ok";
  public static final String TOOL_OUTPUT = "mock-tool-ok";
  /** The text answering a tool result starts with this, followed by the tool's output. */
  public static final String TOOL_RESULT_PREFIX = "The tool said: ";

  private static final ObjectMapper JSON = new ObjectMapper();

  private MockOpenAiEvents() {}

  public static ObjectNode usage(int input, int cached, int output, int reasoning) {
    ObjectNode u = JSON.createObjectNode();
    u.put("input_tokens", input);
    u.putObject("input_tokens_details").put("cached_tokens", cached).put("cache_write_tokens", CACHE_WRITE_TOKENS);
    u.put("output_tokens", output);
    u.putObject("output_tokens_details").put("reasoning_tokens", reasoning);
    u.put("total_tokens", input + output);
    return u;
  }

  public static ObjectNode textUsage() {
    return usage(INPUT_TOKENS, CACHED_TOKENS, OUTPUT_TOKENS, REASONING_TOKENS);
  }

  public static ObjectNode toolUsage() {
    return usage(TOOL_INPUT_TOKENS, TOOL_CACHED_TOKENS, TOOL_OUTPUT_TOKENS, TOOL_REASONING_TOKENS);
  }

  public static ObjectNode compactUsage() {
    return usage(COMPACT_INPUT_TOKENS, COMPACT_CACHED_TOKENS, COMPACT_OUTPUT_TOKENS, COMPACT_REASONING_TOKENS);
  }

  /** A full response object as the API returns it (and as response.created / .completed carry it). */
  public static ObjectNode response(String id, String model, String status, ArrayNode output, ObjectNode usage,
      String previousResponseId) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", id).put("object", "response").put("created_at", 1_780_000_000L).put("status", status);
    r.put("background", false).putNull("error").putNull("incomplete_details").putNull("instructions");
    r.putNull("max_output_tokens").put("model", model);
    r.set("output", output == null ? JSON.createArrayNode() : output);
    r.put("parallel_tool_calls", true);
    if (previousResponseId == null) {
      r.putNull("previous_response_id");
    } else {
      r.put("previous_response_id", previousResponseId);
    }
    r.putObject("reasoning").put("effort", "medium").putNull("summary");
    r.put("service_tier", "default").put("store", false).put("temperature", 1.0);
    r.putObject("text").put("verbosity", "medium").putObject("format").put("type", "text");
    r.put("tool_choice", "auto");
    r.putArray("tools");
    r.put("top_p", 1.0).put("truncation", "disabled");
    if (usage == null) {
      r.putNull("usage");
    } else {
      r.set("usage", usage);
    }
    r.putNull("user");
    r.putObject("metadata");
    return r;
  }

  /** The completed message item holding {@code text}. */
  public static ObjectNode messageItem(String itemId, String text, String status) {
    ObjectNode item = JSON.createObjectNode();
    item.put("id", itemId).put("type", "message").put("status", status);
    ArrayNode content = item.putArray("content");
    if (text != null) {
      content.add(textPart(text));
    }
    item.put("role", "assistant");
    return item;
  }

  public static ObjectNode functionCallItem(String itemId, String callId, String name, String arguments,
      String status) {
    ObjectNode item = JSON.createObjectNode();
    item.put("id", itemId).put("type", "function_call").put("status", status).put("arguments", arguments)
        .put("call_id", callId).put("name", name);
    return item;
  }

  private static ObjectNode textPart(String text) {
    ObjectNode part = JSON.createObjectNode();
    part.put("type", "output_text");
    part.putArray("annotations");
    part.putArray("logprobs");
    part.put("text", text);
    return part;
  }

  /** The events of a text answer: created … completed, one output_text.delta per element of deltas. */
  public static List<ObjectNode> textEvents(String responseId, String model, List<String> deltas, ObjectNode usage,
      String previousResponseId) {
    String itemId = "msg_" + responseId.substring("resp_".length());
    String text = String.join("", deltas);
    List<ObjectNode> events = new ArrayList<>();
    events.add(event("response.created").set("response",
        response(responseId, model, "in_progress", null, null, previousResponseId)));
    events.add(event("response.in_progress").set("response",
        response(responseId, model, "in_progress", null, null, previousResponseId)));
    events.add(event("response.output_item.added").put("output_index", 0)
        .set("item", messageItem(itemId, null, "in_progress")));
    events.add((ObjectNode) event("response.content_part.added").put("item_id", itemId).put("output_index", 0)
        .put("content_index", 0).set("part", textPart("")));
    for (String d : deltas) {
      ObjectNode e = event("response.output_text.delta").put("item_id", itemId).put("output_index", 0)
          .put("content_index", 0).put("delta", d);
      e.putArray("logprobs");
      events.add(e);
    }
    ObjectNode done = event("response.output_text.done").put("item_id", itemId).put("output_index", 0)
        .put("content_index", 0).put("text", text);
    done.putArray("logprobs");
    events.add(done);
    events.add((ObjectNode) event("response.content_part.done").put("item_id", itemId).put("output_index", 0)
        .put("content_index", 0).set("part", textPart(text)));
    ObjectNode item = messageItem(itemId, text, "completed");
    events.add(event("response.output_item.done").put("output_index", 0).set("item", item));
    ArrayNode output = JSON.createArrayNode().add(item.deepCopy());
    events.add(event("response.completed").set("response",
        response(responseId, model, "completed", output, usage, previousResponseId)));
    return numbered(events);
  }

  /** The events of an answer that is one function call. */
  public static List<ObjectNode> functionCallEvents(String responseId, String model, String callId, String name,
      String arguments, ObjectNode usage, String previousResponseId) {
    String itemId = "fc_" + responseId.substring("resp_".length());
    List<ObjectNode> events = new ArrayList<>();
    events.add(event("response.created").set("response",
        response(responseId, model, "in_progress", null, null, previousResponseId)));
    events.add(event("response.in_progress").set("response",
        response(responseId, model, "in_progress", null, null, previousResponseId)));
    events.add(event("response.output_item.added").put("output_index", 0)
        .set("item", functionCallItem(itemId, callId, name, "", "in_progress")));
    int half = arguments.length() / 2;
    for (String d : List.of(arguments.substring(0, half), arguments.substring(half))) {
      events.add(event("response.function_call_arguments.delta").put("item_id", itemId).put("output_index", 0)
          .put("delta", d));
    }
    events.add(event("response.function_call_arguments.done").put("item_id", itemId).put("output_index", 0)
        .put("arguments", arguments));
    ObjectNode item = functionCallItem(itemId, callId, name, arguments, "completed");
    events.add(event("response.output_item.done").put("output_index", 0).set("item", item));
    ArrayNode output = JSON.createArrayNode().add(item.deepCopy());
    events.add(event("response.completed").set("response",
        response(responseId, model, "completed", output, usage, previousResponseId)));
    return numbered(events);
  }

  /** A WebSocket prewarm ({@code generate:false}): created and completed, no output, zero usage. */
  public static List<ObjectNode> prewarmEvents(String responseId, String model, String previousResponseId) {
    List<ObjectNode> events = new ArrayList<>();
    events.add(event("response.created").set("response",
        response(responseId, model, "in_progress", null, null, previousResponseId)));
    events.add(event("response.completed").set("response",
        response(responseId, model, "completed", null, usage(0, 0, 0, 0), previousResponseId)));
    return numbered(events);
  }

  /** response.failed: the response object with status failed and this error (usage stays null). */
  public static ObjectNode failedEvent(String responseId, String model, ObjectNode error, String previousResponseId) {
    ObjectNode response = response(responseId, model, "failed", null, null, previousResponseId);
    response.set("error", error);
    ObjectNode e = event("response.failed");
    e.set("response", response);
    return e;
  }

  /** The in-stream error event carrying an error object (e.g. {@link #usageLimitError}). */
  public static ObjectNode errorEvent(ObjectNode error) {
    ObjectNode e = event("error");
    e.set("error", error);
    return e;
  }

  /** The WebSocket form of an HTTP error: {@code {"type":"error","status":…,"error":{…},"headers":{…}}}. */
  public static ObjectNode wrappedError(int status, ObjectNode error, ObjectNode headers) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", "error").put("status", status);
    e.set("error", error);
    if (headers != null) {
      e.set("headers", headers);
    }
    return e;
  }

  /** The ChatGPT backend's quota error object. */
  public static ObjectNode usageLimitError(long resetsAt, long resetsInSeconds) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", "usage_limit_reached").put("message", "The usage limit has been reached").put("plan_type", "plus")
        .put("resets_at", resetsAt).put("resets_in_seconds", resetsInSeconds);
    return e;
  }

  /** An OpenAI API error object {@code {message,type,param,code}}. */
  public static ObjectNode apiError(String message, String type, String code) {
    ObjectNode e = JSON.createObjectNode();
    e.put("message", message).put("type", type).putNull("param");
    if (code == null) {
      e.putNull("code");
    } else {
      e.put("code", code);
    }
    return e;
  }

  /** {@code {"error":{…}}}, the body of an HTTP error. */
  public static String errorBody(ObjectNode error) {
    ObjectNode body = JSON.createObjectNode();
    body.set("error", error);
    return body.toString();
  }

  /** The SSE bytes of these events: {@code event: <type>\ndata: <json>\n\n} each, no [DONE]. */
  public static String sse(List<ObjectNode> events) {
    StringBuilder out = new StringBuilder();
    for (ObjectNode e : events) {
      out.append(sse(e));
    }
    return out.toString();
  }

  public static String sse(ObjectNode event) {
    return "event: " + event.path("type").asText() + "\ndata: " + event + "\n\n";
  }

  private static ObjectNode event(String type) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", type);
    return e;
  }

  private static List<ObjectNode> numbered(List<ObjectNode> events) {
    for (int i = 0; i < events.size(); i++) {
      ObjectNode e = events.get(i);
      ObjectNode copy = JSON.createObjectNode();
      copy.put("type", e.path("type").asText()).put("sequence_number", i);
      e.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("type")) {
          copy.set(f.getKey(), f.getValue());
        }
      });
      events.set(i, copy);
    }
    return events;
  }
}
