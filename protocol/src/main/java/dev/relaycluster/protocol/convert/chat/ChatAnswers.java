package dev.relaycluster.protocol.convert.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.WholeAnswer;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.openai.OpenAiErrorBody;
import dev.relaycluster.protocol.openai.OpenAiErrors;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Chat's whole answers ({@code chat.completion}) both ways, and what its stream shares with them: finish
 * reasons, the usage object, the chunk id, error objects (named as {@link ResponsesDialect} names OpenAI's
 * errors).
 */
final class ChatAnswers {
  private static final String ID_PREFIX = "chatcmpl-";

  private ChatAnswers() {}

  static WholeAnswer read(byte[] body) {
    JsonNode root = Json.tryParse(body == null ? new byte[0] : body).orElse(null);
    JsonNode choice = root == null ? null : root.path("choices").path(0);
    if (root == null || !root.isObject() || !choice.isObject()) {
      throw new ConversionException(ErrorKind.BAD_GATEWAY, "the upstream answer is not a chat completion");
    }
    JsonNode message = choice.path("message");
    List<Part> content = new ArrayList<>();
    String reasoning = Json.text(message, "reasoning_content");
    if (reasoning != null && !reasoning.isEmpty()) {
      content.add(new Part.Reasoning(reasoning, null, false, null));
    }
    for (Part p : ChatParts.read(message.get("content"), "choices[0].message.content", true)) {
      if (!((Part.Text) p).text().isEmpty()) {
        content.add(p);
      }
    }
    String refusal = Json.text(message, "refusal");
    if (refusal != null && !refusal.isEmpty()) {
      content.add(new Part.Text(refusal));
    }
    JsonNode calls = message.path("tool_calls");
    for (int j = 0; j < calls.size(); j++) {
      JsonNode f = calls.get(j).path("function");
      String args = Json.text(f, "arguments");
      content.add(new Part.ToolCall(Json.text(calls.get(j), "id"), Json.text(f, "name"),
          args == null || args.isBlank() ? "{}" : args, null));
    }
    return new WholeAnswer(Json.text(root, "id"), Json.text(root, "model"), content,
        stopReason(Json.text(choice, "finish_reason")), null, usage(root.get("usage")));
  }

  static byte[] write(WholeAnswer answer, AnswerOptions options) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("id", chunkId(answer.id()));
    root.put("object", "chat.completion");
    root.put("created", options.createdSeconds());
    root.put("model", options.model() != null ? options.model() : answer.model());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = Json.mapper().createArrayNode();
    for (Part p : answer.content()) {
      if (p instanceof Part.Text t) {
        text.append(t.text());
      } else if (p instanceof Part.Reasoning r && !r.redacted() && r.text() != null && !r.text().isEmpty()) {
        reasoning.append(reasoning.isEmpty() ? "" : "\n\n").append(r.text());
      } else if (p instanceof Part.ToolCall c) {
        ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
      }
    }
    if (text.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    message.putNull("refusal");
    if (!reasoning.isEmpty()) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(answer.stopReason(), !calls.isEmpty()));
    root.set("usage", usageNode(answer.usage()));
    return Json.write(root);
  }

  /** Chat's finish reason for {@code reason}; an ended turn that called tools says "tool_calls". */
  static String finishReason(StopReason reason, boolean calledTools) {
    if (reason == null) {
      return calledTools ? "tool_calls" : "stop";
    }
    return switch (reason) {
      case END_TURN -> calledTools ? "tool_calls" : "stop";
      case STOP_SEQUENCE, PAUSE -> "stop";
      case MAX_TOKENS -> "length";
      case TOOL_USE -> "tool_calls";
      case CONTENT_FILTER, REFUSAL -> "content_filter";
    };
  }

  static StopReason stopReason(String finishReason) {
    if (finishReason == null) {
      return StopReason.END_TURN;
    }
    return switch (finishReason) {
      case "length" -> StopReason.MAX_TOKENS;
      case "tool_calls", "function_call" -> StopReason.TOOL_USE;
      case "content_filter" -> StopReason.CONTENT_FILTER;
      default -> StopReason.END_TURN;
    };
  }

  static ObjectNode usageNode(AnswerUsage u) {
    ObjectNode usage = Json.mapper().createObjectNode();
    long prompt = u.promptTokens();
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", u.output());
    usage.put("total_tokens", prompt + u.output());
    usage.putObject("prompt_tokens_details").put("cached_tokens", u.cacheRead());
    usage.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoning());
    return usage;
  }

  /** The usage object read back (input excludes the cached tokens); zero when absent. */
  static AnswerUsage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return AnswerUsage.ZERO;
    }
    long prompt = Json.count(usage, "prompt_tokens");
    long cached = Json.count(usage.get("prompt_tokens_details"), "cached_tokens");
    return new AnswerUsage(Math.max(0, prompt - cached), cached, 0, Json.count(usage, "completion_tokens"),
        Json.count(usage.get("completion_tokens_details"), "reasoning_tokens"));
  }

  /** "chatcmpl-" + the upstream id (not doubled), or a made-up one. */
  static String chunkId(String upstreamId) {
    if (upstreamId == null || upstreamId.isEmpty()) {
      return ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
    }
    return upstreamId.startsWith(ID_PREFIX) ? upstreamId : ID_PREFIX + upstreamId;
  }

  /** OpenAI's error object for {@code kind}: {@code {"error":{"message","type","param":null,"code"}}}. */
  static byte[] errorBody(ErrorKind kind, String message) {
    return OpenAiErrors.body(ResponsesDialect.INSTANCE.errorType(kind), message,
        ResponsesDialect.INSTANCE.errorCode(kind));
  }

  /** The kind an OpenAI error object stands for. */
  static ErrorKind errorKind(JsonNode root) {
    OpenAiErrorBody error = OpenAiErrorBody.of(root);
    int status = error.inferredStatus();
    if (status > 0) {
      return ErrorKind.forStatus(status);
    }
    if (error.is("invalid_request_error")) {
      return ErrorKind.INVALID_REQUEST;
    }
    if (error.is("invalid_api_key") || error.is("authentication_error")) {
      return ErrorKind.AUTHENTICATION;
    }
    return ErrorKind.API_ERROR;
  }

  static String errorMessage(byte[] body) {
    JsonNode root = body == null ? null : Json.tryParse(body).orElse(null);
    JsonNode error = root == null ? null : root.get("error");
    if (error != null && error.isTextual()) {
      return error.textValue();
    }
    return Json.text(error, "message");
  }
}
