package dev.relaycluster.protocol.convert.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.anthropic.AnthropicErrors;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.util.Json;

/** The Messages API's names for stop reasons, error kinds and usage, shared by the codec's parts. */
final class AnthropicWire {
  static final String ORIGIN = DialectId.ANTHROPIC.wireName();

  private AnthropicWire() {}

  static StopReason stopReason(String wire) {
    if (wire == null) {
      return StopReason.END_TURN;
    }
    return switch (wire) {
      case "stop_sequence" -> StopReason.STOP_SEQUENCE;
      case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
      case "tool_use" -> StopReason.TOOL_USE;
      case "refusal" -> StopReason.REFUSAL;
      case "pause_turn" -> StopReason.PAUSE;
      default -> StopReason.END_TURN;
    };
  }

  static String stopReason(StopReason reason) {
    if (reason == null) {
      return "end_turn";
    }
    return switch (reason) {
      case END_TURN -> "end_turn";
      case STOP_SEQUENCE -> "stop_sequence";
      case MAX_TOKENS -> "max_tokens";
      case TOOL_USE -> "tool_use";
      case CONTENT_FILTER, REFUSAL -> "refusal";
      case PAUSE -> "pause_turn";
    };
  }

  static ErrorKind errorKind(String type) {
    if (type == null) {
      return ErrorKind.API_ERROR;
    }
    return switch (type) {
      case "invalid_request_error" -> ErrorKind.INVALID_REQUEST;
      case "authentication_error" -> ErrorKind.AUTHENTICATION;
      case "billing_error" -> ErrorKind.BILLING;
      case "permission_error" -> ErrorKind.PERMISSION;
      case "not_found_error" -> ErrorKind.NOT_FOUND;
      case "request_too_large" -> ErrorKind.TOO_LARGE;
      case "rate_limit_error" -> ErrorKind.RATE_LIMITED;
      case "overloaded_error" -> ErrorKind.OVERLOADED;
      case "timeout_error" -> ErrorKind.TIMEOUT;
      default -> ErrorKind.API_ERROR;
    };
  }

  static String errorType(ErrorKind kind) {
    return AnthropicErrors.typeForStatus(kind == null ? 500 : kind.status());
  }

  /** Usage as the Messages API states it (input excludes cache reads and writes). */
  static AnswerUsage usage(JsonNode usage) {
    return new AnswerUsage(Json.count(usage, "input_tokens"), Json.count(usage, "cache_read_input_tokens"),
        Json.count(usage, "cache_creation_input_tokens"), Json.count(usage, "output_tokens"), 0);
  }

  /** Fills {@code into} with the usage fields in the API's order. */
  static ObjectNode putUsage(ObjectNode into, AnswerUsage usage) {
    into.put("input_tokens", usage.input());
    into.put("cache_creation_input_tokens", usage.cacheWrite());
    into.put("cache_read_input_tokens", usage.cacheRead());
    into.put("output_tokens", usage.output());
    return into;
  }

  static ObjectNode object() {
    return Json.mapper().createObjectNode();
  }
}
