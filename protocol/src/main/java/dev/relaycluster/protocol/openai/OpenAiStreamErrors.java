package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.util.Json;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * How an in-stream OpenAI error is judged, for both rule sets: an {@code error} event that carries a
 * {@code status} (the WebSocket form, with its {@code headers}) is judged exactly like that HTTP answer;
 * otherwise the status the error implies is; a request error says nothing about the account.
 */
final class OpenAiStreamErrors {

  /** One upstream's rules for a whole answer. */
  interface Rules {
    AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis);
  }

  private OpenAiStreamErrors() {}

  /**
   * @param silent errors that say nothing about the account whatever their status
   * @param impliedStatus the status an error without one stands for, 0 for none
   */
  static AnswerVerdict classify(byte[] eventJson, long nowMillis, Rules rules, Predicate<OpenAiErrorBody> silent,
      ToIntFunction<OpenAiErrorBody> impliedStatus) {
    JsonNode root = eventJson == null ? null : Json.tryParse(eventJson).orElse(null);
    String type = Json.text(root, "type");
    if (!"error".equals(type) && !"response.failed".equals(type)) {
      return null;
    }
    OpenAiErrorBody error = OpenAiErrorBody.of(root);
    if (silent.test(error)) {
      return null;
    }
    int status = OpenAiErrorBody.eventStatus(root);
    if ("error".equals(type) && status > 0) {
      AnswerVerdict v = rules.classify(status, OpenAiErrorBody.eventHeaders(root), Json.write(root), nowMillis);
      return v.answerClass() == AnswerClass.SUCCESS || v.answerClass() == AnswerClass.REQUEST_ERROR ? null : v;
    }
    int implied = impliedStatus.applyAsInt(error);
    return implied == 0 ? null : rules.classify(implied, Map.of(), Json.write(root), nowMillis);
  }
}
