package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.StreamReframer;
import dev.relaycluster.protocol.util.Json;
import java.util.function.UnaryOperator;

/**
 * The re-framing between what a Gemini upstream sends and what the client asked for (pure): the Code Assist
 * envelope taken off or put on each answer (and each SSE event), and an SSE stream turned into the JSON
 * array stream a client gets when it called {@code streamGenerateContent} without {@code alt=sse}.
 * Error objects ({@code {"error":…}}) pass unchanged. See {@link GeminiStreamReframer} for the stream rules.
 */
public final class GeminiFraming {
  private GeminiFraming() {}

  /**
   * @param unwrap upstream answers in the Code Assist envelope, the client wants the public shape
   * @param wrap upstream answers in the public shape, the client wants the Code Assist envelope
   * @param jsonArray the client streams without {@code alt=sse}: SSE events become elements of one JSON array
   * @return {@link AnswerFraming#IDENTITY} when nothing changes
   */
  public static AnswerFraming of(boolean unwrap, boolean wrap, boolean jsonArray) {
    if (!unwrap && !wrap && !jsonArray) {
      return AnswerFraming.IDENTITY;
    }
    UnaryOperator<JsonNode> transform = transform(unwrap, wrap);
    return new AnswerFraming() {
      @Override
      public boolean identity() {
        return false;
      }

      @Override
      public byte[] whole(byte[] body) {
        if (transform == null || body == null) {
          return body;
        }
        JsonNode root = Json.tryParse(body).orElse(null);
        if (root == null) {
          return body;
        }
        if (root.isArray()) {
          ArrayNode out = Json.mapper().createArrayNode();
          root.forEach(element -> out.add(transform.apply(element)));
          return Json.write(out);
        }
        JsonNode out = transform.apply(root);
        return out == root ? body : Json.write(out);
      }

      @Override
      public StreamReframer newStream() {
        return new GeminiStreamReframer(transform, jsonArray);
      }

      @Override
      public String streamContentType() {
        return jsonArray ? "application/json" : null;
      }
    };
  }

  /** The change made to each answer object, or null when answers keep their envelope. */
  private static UnaryOperator<JsonNode> transform(boolean unwrap, boolean wrap) {
    if (unwrap && wrap) {
      return node -> CodeAssistEnvelope.wrapAnswer(CodeAssistEnvelope.unwrapAnswer(node));
    }
    if (unwrap) {
      return CodeAssistEnvelope::unwrapAnswer;
    }
    if (wrap) {
      return CodeAssistEnvelope::wrapAnswer;
    }
    return null;
  }
}
