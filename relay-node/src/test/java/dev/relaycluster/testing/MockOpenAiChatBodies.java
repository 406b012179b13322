package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies {@link MockOpenAi} answers {@code POST /v1/chat/completions} with, in the field order
 * api.openai.com sends: a {@code chat.completion} object, and the {@code chat.completion.chunk} events of a
 * stream (a first chunk with the role, content or tool-call deltas, a chunk with the finish reason, with
 * {@code stream_options.include_usage} a {@code "usage":null} on each and a last {@code choices:[]} chunk
 * with the usage, then {@code data: [DONE]}).
 */
public final class MockOpenAiChatBodies {
  /** Usage of a text answer. */
  public static final int PROMPT_TOKENS = 1300;
  public static final int CACHED_TOKENS = 1024;
  public static final int COMPLETION_TOKENS = 57;
  /** Usage of an answer that is a tool call. */
  public static final int TOOL_PROMPT_TOKENS = 410;
  public static final int TOOL_CACHED_TOKENS = 0;
  public static final int TOOL_COMPLETION_TOKENS = 18;
  /** The arguments of the mock's tool call, streamed in these pieces. */
  public static final List<String> TOOL_ARGUMENT_DELTAS = List.of("{\"", "location", "\":\"", "Paris", "\"}");
  public static final String TOOL_ARGUMENTS = String.join("", TOOL_ARGUMENT_DELTAS);
  static final String FINGERPRINT = "fp_mock0c0ffee";
  static final long CREATED = 1_780_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private MockOpenAiChatBodies() {}

  /** A Chat {@code usage} object. */
  public static ObjectNode usage(int prompt, int cached, int completion) {
    ObjectNode u = JSON.createObjectNode();
    u.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    u.putObject("prompt_tokens_details").put("cached_tokens", cached).put("audio_tokens", 0);
    u.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
    return u;
  }

  /** A whole {@code chat.completion}: text, or a tool call when {@code toolName} is not null. */
  public static ObjectNode completion(String id, String model, String text, String toolName, String callId) {
    ObjectNode c = head(id, "chat.completion", model, false);
    ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (toolName == null) {
      message.put("content", text);
    } else {
      message.putNull("content");
      ObjectNode call = message.putArray("tool_calls").addObject().put("id", callId).put("type", "function");
      call.putObject("function").put("name", toolName).put("arguments", TOOL_ARGUMENTS);
    }
    message.putNull("refusal");
    message.putArray("annotations");
    choice.putNull("logprobs").put("finish_reason", toolName == null ? "stop" : "tool_calls");
    c.set("usage", toolName == null ? textUsage() : toolUsage());
    c.put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
    return c;
  }

  /** The chunks of a streamed text answer. */
  public static List<ObjectNode> textChunks(String id, String model, List<String> deltas, boolean includeUsage) {
    List<ObjectNode> chunks = new ArrayList<>();
    ObjectNode first = chunk(id, model, includeUsage);
    first.withObject("/choices/0/delta").put("content", "").putNull("refusal");
    chunks.add(first);
    for (String d : deltas) {
      ObjectNode c = chunk(id, model, includeUsage);
      c.withObject("/choices/0/delta").remove("role");
      c.withObject("/choices/0/delta").put("content", d);
      chunks.add(c);
    }
    return finish(chunks, id, model, "stop", textUsage(), includeUsage);
  }

  /** The chunks of a streamed tool call: the call's id and name first, then its arguments in pieces. */
  public static List<ObjectNode> toolChunks(String id, String model, String toolName, String callId, boolean includeUsage) {
    List<ObjectNode> chunks = new ArrayList<>();
    ObjectNode first = chunk(id, model, includeUsage);
    ObjectNode delta = first.withObject("/choices/0/delta");
    delta.putNull("content");
    ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0).put("id", callId).put("type", "function");
    call.putObject("function").put("name", toolName).put("arguments", "");
    delta.putNull("refusal");
    chunks.add(first);
    for (String piece : TOOL_ARGUMENT_DELTAS) {
      ObjectNode c = chunk(id, model, includeUsage);
      ObjectNode d = c.withObject("/choices/0/delta");
      d.remove("role");
      d.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece);
      chunks.add(c);
    }
    return finish(chunks, id, model, "tool_calls", toolUsage(), includeUsage);
  }

  /** {@code data: <json>} blocks, then {@code data: [DONE]}. */
  public static String sse(List<ObjectNode> chunks, boolean done) {
    StringBuilder s = new StringBuilder();
    for (ObjectNode c : chunks) {
      s.append("data: ").append(c).append("\n\n");
    }
    return done ? s.append("data: [DONE]\n\n").toString() : s.toString();
  }

  static ObjectNode textUsage() {
    return usage(PROMPT_TOKENS, CACHED_TOKENS, COMPLETION_TOKENS);
  }

  static ObjectNode toolUsage() {
    return usage(TOOL_PROMPT_TOKENS, TOOL_CACHED_TOKENS, TOOL_COMPLETION_TOKENS);
  }

  private static List<ObjectNode> finish(List<ObjectNode> chunks, String id, String model, String reason,
      ObjectNode usage, boolean includeUsage) {
    ObjectNode last = chunk(id, model, includeUsage);
    last.withObject("/choices/0").put("finish_reason", reason);
    last.withObject("/choices/0").set("delta", JSON.createObjectNode());
    chunks.add(last);
    if (includeUsage) {
      ObjectNode u = head(id, "chat.completion.chunk", model, true);
      u.putArray("choices");
      u.set("usage", usage);
      chunks.add(u);
    }
    return chunks;
  }

  /** A chunk with one choice whose delta names the role; {@code "usage":null} when usage was asked for. */
  private static ObjectNode chunk(String id, String model, boolean includeUsage) {
    ObjectNode c = head(id, "chat.completion.chunk", model, true);
    ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
    choice.putObject("delta").put("role", "assistant");
    choice.putNull("logprobs").putNull("finish_reason");
    if (includeUsage) {
      c.putNull("usage");
    }
    return c;
  }

  private static ObjectNode head(String id, String object, String model, boolean chunk) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", id).put("object", object).put("created", CREATED).put("model", model);
    if (chunk) {
      c.put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
    }
    return c;
  }
}
