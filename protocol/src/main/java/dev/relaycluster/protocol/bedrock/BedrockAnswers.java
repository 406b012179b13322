package dev.relaycluster.protocol.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.anthropic.AnthropicErrors;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a Bedrock answer (status, the {@code x-amzn-ErrorType} header, the {@code {"message"}} error body) into
 * an {@link AnswerVerdict}, and says it again as the Anthropic error a client of the Messages API expects.
 * Bedrock sends no retry-after and no reset time, so a throttled account is cooled for a fixed minute: its
 * quotas are requests and tokens per minute per model, and a longer mark would idle an account whose window
 * has already turned. Pure.
 */
public final class BedrockAnswers {
  /** How long a throttled model of an account rests: Bedrock's quotas are per minute. */
  public static final long THROTTLED_SECONDS = 60;

  private BedrockAnswers() {}

  /**
   * The verdict on an answer: {@code errorTypeHeader} is {@code x-amzn-ErrorType} (null when absent; its
   * {@code :…} tail is ignored), {@code body} the error body or null.
   */
  public static AnswerVerdict classify(int status, String errorTypeHeader, byte[] body) {
    String type = errorType(errorTypeHeader, body);
    String message = message(body);
    if (status >= 200 && status < 300) {
      return verdict(AnswerClass.SUCCESS, status, message, -1, false);
    }
    return switch (type) {
      case "ThrottlingException", "ServiceQuotaExceededException", "TooManyRequestsException" ->
          // Bedrock's quotas are per model: the family of the request rests, not the whole account.
          verdict(AnswerClass.RATE_LIMITED, status, message, THROTTLED_SECONDS, true);
      case "AccessDeniedException" ->
          verdict(AnswerClass.ORG_DISABLED, status, "access denied: " + message, -1, false);
      case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
           "ExpiredTokenException", "MissingAuthenticationTokenException", "InvalidClientTokenId" ->
          verdict(AnswerClass.UNAUTHORIZED, status, type + ": " + message, -1, false);
      case "ValidationException" -> verdict(AnswerClass.REQUEST_ERROR, status, message, -1, false);
      case "ServiceUnavailableException" -> verdict(AnswerClass.OVERLOADED, status, message, -1, false);
      case "ModelTimeoutException" -> verdict(AnswerClass.UNREACHABLE, status, "model timeout: " + message, -1, false);
      // A model this account's region or access does not offer (another account's may), a model still loading,
      // a failure inside the model or the service: transient, fail over.
      case "ResourceNotFoundException", "ModelNotReadyException", "InternalServerException",
           "ModelErrorException" -> verdict(AnswerClass.SERVER_ERROR, status, type + ": " + message, -1, false);
      default -> byStatus(status, message);
    };
  }

  private static AnswerVerdict byStatus(int status, String message) {
    AnswerClass c;
    if (status == 401 || status == 403) {
      c = AnswerClass.UNAUTHORIZED;
    } else if (status == 429) {
      return verdict(AnswerClass.RATE_LIMITED, status, message, THROTTLED_SECONDS, true);
    } else if (status == 503 || status == 529) {
      c = AnswerClass.OVERLOADED;
    } else if (status == 408 || status == 504) {
      c = AnswerClass.UNREACHABLE;
    } else if (status >= 500) {
      c = AnswerClass.SERVER_ERROR;
    } else {
      c = AnswerClass.REQUEST_ERROR;
    }
    return verdict(c, status, message, -1, false);
  }

  private static AnswerVerdict verdict(AnswerClass c, int status, String message, long retryAfter,
      boolean requestFamily) {
    return new AnswerVerdict(c, status, null, 0, retryAfter, -1, -1, message, requestFamily);
  }

  /** A Bedrock error answer as an Anthropic error body (same status; Bedrock's message kept). */
  public static byte[] anthropicErrorBody(int status, String errorTypeHeader, byte[] body) {
    String type = errorType(errorTypeHeader, body);
    String anthropicType = switch (type) {
      case "ThrottlingException", "ServiceQuotaExceededException", "TooManyRequestsException" -> "rate_limit_error";
      case "ServiceUnavailableException" -> "overloaded_error";
      case "ValidationException" -> "invalid_request_error";
      case "AccessDeniedException" -> "permission_error";
      case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
           "ExpiredTokenException", "MissingAuthenticationTokenException", "InvalidClientTokenId" ->
          "authentication_error";
      case "ResourceNotFoundException" -> "not_found_error";
      case "ModelTimeoutException" -> "timeout_error";
      default -> AnthropicErrors.typeForStatus(status);
    };
    String message = message(body);
    return AnthropicErrors.body(anthropicType, message.isEmpty() ? "Bedrock answered " + status
        + (type.isEmpty() ? "" : " (" + type + ")") : message);
  }

  /**
   * The Anthropic error type of an exception frame inside a Bedrock stream ({@code :exception-type}, lower camel
   * case as Bedrock sends it).
   */
  public static String streamErrorType(String exceptionType) {
    String t = exceptionType == null ? "" : exceptionType.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "throttlingexception", "servicequotaexceededexception" -> "rate_limit_error";
      case "serviceunavailableexception" -> "overloaded_error";
      case "validationexception" -> "invalid_request_error";
      default -> "api_error";
    };
  }

  /** The exception name: {@code x-amzn-ErrorType} without its {@code :…} tail, else the body's {@code __type}. */
  static String errorType(String header, byte[] body) {
    String t = header;
    if (t == null || t.isBlank()) {
      JsonNode node = body == null ? null : Json.tryParse(body).orElse(null);
      t = node == null ? "" : node.path("__type").asText("");
    }
    int colon = t.indexOf(':');
    if (colon >= 0) {
      t = t.substring(0, colon);
    }
    int hash = t.lastIndexOf('#');
    return (hash >= 0 ? t.substring(hash + 1) : t).trim();
  }

  /** The body's {@code message} (or {@code Message}), else its text cut to 300 characters; "" for none. */
  public static String message(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    JsonNode node = Json.tryParse(body).orElse(null);
    if (node != null && node.isObject()) {
      String m = node.path("message").asText(node.path("Message").asText(""));
      if (!m.isEmpty()) {
        return m;
      }
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.length() > 300 ? text.substring(0, 300) : text;
  }
}
