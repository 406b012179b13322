package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.protocol.util.Json;

/**
 * The JSON shapes a Responses client gets, streamed or whole, as api.openai.com writes them: output items
 * (message, reasoning, function_call, custom_tool_call), the {@code response} object and its usage, and
 * the reverse reading of usage and stop reasons.
 */
final class ResponseObjects {

  private ResponseObjects() {}

  static ObjectNode message(String id, String status, String text) {
    ObjectNode item = Json.mapper().createObjectNode();
    item.put("id", id);
    item.put("type", "message");
    item.put("status", status);
    ArrayNode content = item.putArray("content");
    if (text != null) {
      content.add(outputText(text));
    }
    item.put("role", "assistant");
    return item;
  }

  static ObjectNode outputText(String text) {
    ObjectNode part = Json.mapper().createObjectNode();
    part.put("type", "output_text");
    part.putArray("annotations");
    part.putArray("logprobs");
    part.put("text", text);
    return part;
  }

  static ObjectNode summaryText(String text) {
    return Json.mapper().createObjectNode().put("type", "summary_text").put("text", text);
  }

  /** A reasoning item; {@code text} null for the added event (no summary yet). */
  static ObjectNode reasoning(String id, String text, String encrypted, boolean done) {
    ObjectNode item = Json.mapper().createObjectNode();
    item.put("id", id);
    item.put("type", "reasoning");
    ArrayNode summary = item.putArray("summary");
    if (text != null && !text.isEmpty()) {
      summary.add(summaryText(text));
    }
    if (done) {
      item.put("encrypted_content", encrypted);
    }
    return item;
  }

  static ObjectNode functionCall(String id, String status, String callId, String name, String arguments) {
    ObjectNode item = Json.mapper().createObjectNode();
    item.put("id", id);
    item.put("type", "function_call");
    item.put("status", status);
    item.put("arguments", arguments);
    item.put("call_id", callId);
    item.put("name", name);
    return item;
  }

  static ObjectNode customCall(String id, String status, String callId, String name, String input) {
    ObjectNode item = Json.mapper().createObjectNode();
    item.put("id", id);
    item.put("type", "custom_tool_call");
    item.put("status", status);
    item.put("call_id", callId);
    item.put("input", input);
    item.put("name", name);
    return item;
  }

  /** The {@code response} object: status in_progress, completed, incomplete or failed. */
  static ObjectNode response(String id, long createdAt, String status, String model, ArrayNode output,
      AnswerUsage usage, String incompleteReason, ObjectNode error) {
    ObjectNode r = Json.mapper().createObjectNode();
    r.put("id", id);
    r.put("object", "response");
    r.put("created_at", createdAt);
    r.put("status", status);
    if (error == null) {
      r.putNull("error");
    } else {
      r.set("error", error);
    }
    if (incompleteReason == null) {
      r.putNull("incomplete_details");
    } else {
      r.putObject("incomplete_details").put("reason", incompleteReason);
    }
    r.put("model", model);
    r.set("output", output == null ? Json.mapper().createArrayNode() : output);
    r.put("parallel_tool_calls", true);
    r.put("store", false);
    if (usage == null) {
      r.putNull("usage");
    } else {
      r.set("usage", usage(usage));
    }
    return r;
  }

  static ObjectNode usage(AnswerUsage u) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("input_tokens", u.promptTokens());
    n.putObject("input_tokens_details").put("cached_tokens", u.cacheRead());
    n.put("output_tokens", u.output());
    n.putObject("output_tokens_details").put("reasoning_tokens", u.reasoning());
    n.put("total_tokens", u.promptTokens() + u.output());
    return n;
  }

  static AnswerUsage readUsage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return AnswerUsage.ZERO;
    }
    long input = Json.count(usage, "input_tokens");
    long cached = Math.min(input, Json.count(usage.path("input_tokens_details"), "cached_tokens"));
    return new AnswerUsage(input - cached, cached, 0, Json.count(usage, "output_tokens"),
        Json.count(usage.path("output_tokens_details"), "reasoning_tokens"));
  }

  /** incomplete_details.reason for a stop reason, or null when the response completed. */
  static String incompleteReason(StopReason reason) {
    return switch (reason) {
      case MAX_TOKENS -> "max_output_tokens";
      // A refusal (Claude's stop_reason) is known only at the end: the text was streamed, the response ends as filtered.
      case CONTENT_FILTER, REFUSAL -> "content_filter";
      default -> null;
    };
  }

  /** The stop reason of a finished response object. */
  static StopReason stopReason(JsonNode response, boolean calledTools, boolean refused) {
    if ("incomplete".equals(Json.text(response, "status"))) {
      String why = Json.text(response.get("incomplete_details"), "reason");
      return "content_filter".equals(why) ? StopReason.CONTENT_FILTER : StopReason.MAX_TOKENS;
    }
    return calledTools ? StopReason.TOOL_USE : refused ? StopReason.REFUSAL : StopReason.END_TURN;
  }

  /** The {@code error} a failed response carries: the code Codex acts on, and the message. */
  static ObjectNode error(ErrorKind kind, String message) {
    String code = ResponsesDialect.INSTANCE.errorCode(kind);
    if (code == null) {
      code = kind == ErrorKind.INVALID_REQUEST || kind == ErrorKind.TOO_LARGE ? "invalid_prompt"
          : ResponsesDialect.INSTANCE.errorType(kind);
    }
    return Json.mapper().createObjectNode().put("code", code).put("message", message);
  }

  /** The kind of an OpenAI error code or type (an in-stream error or a failed response). */
  static ErrorKind kind(String code) {
    if (code == null) {
      return ErrorKind.API_ERROR;
    }
    return switch (code) {
      case "rate_limit_exceeded", "rate_limit_error", "usage_limit_reached", "requests", "tokens" ->
          ErrorKind.RATE_LIMITED;
      case "insufficient_quota", "usage_not_included" -> ErrorKind.BILLING;
      case "server_is_overloaded", "slow_down", "overloaded_error" -> ErrorKind.OVERLOADED;
      case "context_length_exceeded", "invalid_prompt", "invalid_request_error", "cyber_policy" ->
          ErrorKind.INVALID_REQUEST;
      case "invalid_api_key", "authentication_error" -> ErrorKind.AUTHENTICATION;
      default -> ErrorKind.API_ERROR;
    };
  }
}
