package dev.relaycluster.protocol.droid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads an answer of Factory's LLM proxy ({@code api.factory.ai/api/llm}, Droid accounts) into an
 * {@link AnswerVerdict}. Header names must be lower-case. Pure. Only four statuses say something about the
 * account; CRS marks a Factory key errored on any 4xx, which lets one client's malformed request take an
 * account out, so here a client's own 400 (or 404, 413, 422) never marks it.
 * <ul>
 *   <li>401: UNAUTHORIZED (an OAuth account refreshes its token once first).</li>
 *   <li>402: ORG_DISABLED, blocked until an admin clears it: payment required, the Factory plan is out of
 *       credits; a timed cooldown would only re-try a dead account now and then.</li>
 *   <li>403: ORG_DISABLED, blocked: the key or login is forbidden.</li>
 *   <li>429: RATE_LIMITED, for {@code retry-after} (seconds or an HTTP date) when sent.</li>
 *   <li>529: OVERLOADED; 504: UNREACHABLE; other 5xx: SERVER_ERROR (all transient).</li>
 *   <li>Any other 4xx: REQUEST_ERROR (about the request, not the account).</li>
 * </ul>
 * The verdict's message is the error body's message (Anthropic, OpenAI or plain shapes), with what the
 * status means for a 402.
 */
public final class DroidAnswers {
  private static final int MAX_MESSAGE = 300;

  private DroidAnswers() {}

  /** Classifies one answer. {@code body} may be null or empty. */
  public static AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    String message = errorMessage(body);
    long retryAfter = retryAfterSeconds(headers.get("retry-after"), nowMillis);
    AnswerClass answerClass;
    if (status >= 200 && status < 300) {
      answerClass = AnswerClass.SUCCESS;
    } else if (status == 401) {
      answerClass = AnswerClass.UNAUTHORIZED;
    } else if (status == 402) {
      answerClass = AnswerClass.ORG_DISABLED;
      message = "payment required (out of credits)" + (message.isEmpty() ? "" : ": " + message);
    } else if (status == 403) {
      answerClass = AnswerClass.ORG_DISABLED;
      message = "forbidden" + (message.isEmpty() ? "" : ": " + message);
    } else if (status == 429) {
      answerClass = AnswerClass.RATE_LIMITED;
    } else if (status == 529) {
      answerClass = AnswerClass.OVERLOADED;
    } else if (status == 504) {
      answerClass = AnswerClass.UNREACHABLE;
    } else if (status >= 500) {
      answerClass = AnswerClass.SERVER_ERROR;
    } else {
      answerClass = AnswerClass.REQUEST_ERROR;
    }
    return new AnswerVerdict(answerClass, status, null, 0, retryAfter, -1, -1, message);
  }

  /**
   * What an error event inside a started stream says about the account (Anthropic's {@code error} event
   * types, OpenAI's error codes): overloaded, rate limited or a server error; null when it says nothing.
   */
  public static AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    int status = errorType == null ? 0 : switch (errorType) {
      case "overloaded_error", "server_is_overloaded" -> 529;
      case "rate_limit_error", "rate_limit_exceeded" -> 429;
      case "api_error", "server_error" -> 500;
      default -> 0;
    };
    return status == 0 ? null : classify(status, Map.of(), errorJson, nowMillis);
  }

  /** Whether {@link #classify} reads this (lower-case) response header. */
  public static boolean isHealthHeader(String lowerName) {
    return lowerName.equals("retry-after");
  }

  /**
   * The message of an error body: {@code error.message} (Anthropic and OpenAI), a string {@code error},
   * {@code message} or {@code detail}; else the text itself; cut to 300 characters; empty when none.
   */
  public static String errorMessage(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    JsonNode root = Json.tryParse(body).orElse(null);
    String text = null;
    if (root != null && root.isObject()) {
      JsonNode error = root.path("error");
      if (error.path("message").isTextual()) {
        text = error.path("message").asText();
      } else if (error.isTextual()) {
        text = error.asText();
      } else if (root.path("message").isTextual()) {
        text = root.path("message").asText();
      } else if (root.path("detail").isTextual()) {
        text = root.path("detail").asText();
      }
    }
    if (text == null) {
      text = new String(body, StandardCharsets.UTF_8);
    }
    text = text.strip();
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) : text;
  }

  /** {@code retry-after} as seconds (a number, or an HTTP date from now); -1 when absent or unreadable. */
  static long retryAfterSeconds(String value, long nowMillis) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String v = value.strip();
    try {
      return Math.max(0, (long) Math.ceil(Double.parseDouble(v)));
    } catch (NumberFormatException notNumber) {
      try {
        long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, (at - nowMillis + 999) / 1000);
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
