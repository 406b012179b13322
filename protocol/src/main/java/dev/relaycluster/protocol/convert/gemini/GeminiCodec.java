package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.DialectCodec;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.StreamDecoder;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.convert.WholeAnswer;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.util.Json;

/**
 * The Gemini API's side of every conversion (public {@code GenerateContentRequest} /
 * {@code GenerateContentResponse}; the Code Assist envelope is the platforms' business).
 *
 * <p>Requests are written to {@code models/{model}:streamGenerateContent} with query {@code alt=sse} (a
 * stream) or {@code models/{model}:generateContent}: system text as {@code systemInstruction}, turns as
 * {@code user} / {@code model} contents (consecutive same-role merged, empty ones and a trailing model turn
 * left out with a note), tool calls as {@code functionCall} parts with their ids, tool results as
 * {@code functionResponse} parts named after their call, {@code response:{result}} or {@code {error}}
 * (images in results follow as parts). The first functionCall of each model turn carries a
 * thoughtSignature: its own, the one the {@link ReplayBook} kept, a Gemini-signed reasoning before it, or
 * Google's documented {@code skip_thought_signature_validator}. Reasoning is not sent back as text.
 * Thinking maps to {@code thinkingLevel} (Gemini 3) or {@code thinkingBudget} (2.5) with
 * {@code includeThoughts}; see {@link GeminiThinking}. Tool names Gemini refuses are a
 * {@link dev.relaycluster.protocol.convert.ConversionException} naming {@code tools[i].name}.
 */
public final class GeminiCodec implements DialectCodec {
  public static final GeminiCodec INSTANCE = new GeminiCodec();

  private GeminiCodec() {}

  @Override
  public DialectId dialect() {
    return DialectId.GEMINI;
  }

  @Override
  public Conversation readRequest(String endpoint, byte[] body) {
    return GeminiRequestReader.read(endpoint, body);
  }

  @Override
  public WrittenRequest writeRequest(Conversation conversation, ReplayBook replay) {
    return GeminiRequestWriter.write(conversation, replay);
  }

  @Override
  public StreamDecoder newDecoder() {
    return new GeminiStreamDecoder();
  }

  @Override
  public StreamEncoder newEncoder(AnswerOptions options) {
    return new GeminiStreamEncoder(options);
  }

  @Override
  public WholeAnswer readAnswer(byte[] body) {
    return GeminiWholeAnswers.read(body);
  }

  @Override
  public byte[] writeAnswer(WholeAnswer answer, AnswerOptions options) {
    return GeminiWholeAnswers.write(answer, options);
  }

  @Override
  public String errorMessage(byte[] body) {
    JsonNode error = body == null ? null : GeminiWire.errorObject(Json.tryParse(body).orElse(null));
    return error == null ? null : Json.text(error, "message");
  }
}
