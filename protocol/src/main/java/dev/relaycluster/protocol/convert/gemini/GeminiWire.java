package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.util.Json;
import java.util.Locale;

/** The Gemini API's names for stop reasons, usage and error statuses, both ways. */
final class GeminiWire {
  /** The dialect's wire name, the origin of Gemini's own thought signatures. */
  static final String ORIGIN = "gemini";

  private GeminiWire() {}

  /** A candidate's {@code finishReason} as a stop reason ({@code sawCall}: a functionCall came in this answer). */
  static StopReason stopReason(String finishReason, boolean sawCall) {
    if (finishReason == null) {
      return sawCall ? StopReason.TOOL_USE : StopReason.END_TURN;
    }
    return switch (finishReason) {
      case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE",
          "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> StopReason.CONTENT_FILTER;
      default -> sawCall ? StopReason.TOOL_USE : StopReason.END_TURN;
    };
  }

  /** The {@code finishReason} a stop reason is shown as to a Gemini client. */
  static String finishReason(StopReason reason) {
    if (reason == null) {
      return "STOP";
    }
    return switch (reason) {
      case MAX_TOKENS -> "MAX_TOKENS";
      case CONTENT_FILTER, REFUSAL -> "SAFETY";
      default -> "STOP";
    };
  }

  /**
   * {@code usageMetadata} in the model's terms: promptTokenCount includes the cached tokens, and the thoughts
   * are counted outside candidatesTokenCount.
   */
  static AnswerUsage usage(JsonNode meta) {
    if (meta == null || !meta.isObject()) {
      return AnswerUsage.ZERO;
    }
    long prompt = Json.count(meta, "promptTokenCount");
    long cached = Math.min(prompt, Json.count(meta, "cachedContentTokenCount"));
    long thoughts = Json.count(meta, "thoughtsTokenCount");
    long candidates = Json.count(meta, "candidatesTokenCount");
    return new AnswerUsage(prompt - cached, cached, 0, candidates + thoughts, thoughts);
  }

  /** {@code usageMetadata} for a Gemini client. */
  static ObjectNode usageMetadata(AnswerUsage usage) {
    ObjectNode meta = Json.mapper().createObjectNode();
    long prompt = usage.promptTokens();
    long thoughts = Math.min(usage.reasoning(), usage.output());
    meta.put("promptTokenCount", prompt);
    meta.put("candidatesTokenCount", usage.output() - thoughts);
    meta.put("totalTokenCount", prompt + usage.output());
    if (usage.cacheRead() > 0) {
      meta.put("cachedContentTokenCount", usage.cacheRead());
    }
    if (thoughts > 0) {
      meta.put("thoughtsTokenCount", thoughts);
    }
    return meta;
  }

  /** The kind of an in-stream or body {@code error} object: its {@code status}, else its {@code code}. */
  static ErrorKind errorKind(JsonNode error) {
    String status = Json.text(error, "status");
    if (status != null) {
      switch (status.toUpperCase(Locale.ROOT)) {
        case "RESOURCE_EXHAUSTED":
          return ErrorKind.RATE_LIMITED;
        case "UNAVAILABLE":
          return ErrorKind.OVERLOADED;
        case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE":
          return ErrorKind.INVALID_REQUEST;
        case "PERMISSION_DENIED":
          return ErrorKind.PERMISSION;
        case "UNAUTHENTICATED":
          return ErrorKind.AUTHENTICATION;
        case "NOT_FOUND":
          return ErrorKind.NOT_FOUND;
        case "DEADLINE_EXCEEDED":
          return ErrorKind.TIMEOUT;
        case "INTERNAL", "UNKNOWN", "DATA_LOSS", "ABORTED", "CANCELLED":
          return ErrorKind.API_ERROR;
        default:
          break;
      }
    }
    JsonNode code = error == null ? null : error.get("code");
    return code != null && code.canConvertToInt() && code.intValue() >= 400
        ? ErrorKind.forStatus(code.intValue()) : ErrorKind.API_ERROR;
  }

  /** The {@code error} object of a Gemini error body (also the first element of an array), or null. */
  static JsonNode errorObject(JsonNode root) {
    if (root != null && root.isArray()) {
      root = root.path(0);
    }
    JsonNode error = root == null ? null : root.get("error");
    return error != null && error.isObject() ? error : null;
  }

  /** A media type guessed from an address's file extension, image/jpeg when it says nothing known. */
  static String guessImageType(String url) {
    String path = url == null ? "" : url.toLowerCase(Locale.ROOT);
    int cut = path.indexOf('?');
    path = cut >= 0 ? path.substring(0, cut) : path;
    cut = path.indexOf('#');
    path = cut >= 0 ? path.substring(0, cut) : path;
    if (path.endsWith(".png")) {
      return "image/png";
    }
    if (path.endsWith(".gif")) {
      return "image/gif";
    }
    if (path.endsWith(".webp")) {
      return "image/webp";
    }
    if (path.endsWith(".heic")) {
      return "image/heic";
    }
    if (path.endsWith(".heif")) {
      return "image/heif";
    }
    return "image/jpeg";
  }

  /** The JSON text of a function call's {@code args} ("{}" when absent or not an object). */
  static String argsJson(JsonNode args) {
    return args != null && args.isObject() ? new String(Json.write(args), java.nio.charset.StandardCharsets.UTF_8)
        : "{}";
  }

  /** Arguments JSON text as an object node ({} when it is not a JSON object). */
  static ObjectNode argsObject(String json) {
    JsonNode node = json == null ? null : Json.tryParse(json).orElse(null);
    return node != null && node.isObject() ? (ObjectNode) node : Json.mapper().createObjectNode();
  }
}
