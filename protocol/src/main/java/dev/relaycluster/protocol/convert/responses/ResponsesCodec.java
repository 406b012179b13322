package dev.relaycluster.protocol.convert.responses;

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
 * The OpenAI Responses side of every conversion: Codex CLI and Responses SDK clients read and answered
 * ({@link RequestReader}, {@link ResponsesEncoder}), and the two Responses upstreams written to and read
 * ({@link RequestWriter}, {@link ResponsesDecoder}): api.openai.com ({@code openai-api} accounts) and the
 * ChatGPT Codex backend ({@code codex-oauth} accounts), with one body both accept (platforms.md §1).
 *
 * <p>Hosted tools Codex offers on every request (web_search, local_shell, …) are left out of the
 * {@link Conversation} by the reader: another vendor cannot run them and the model never sees them
 * (a {@code tool_choice} naming one is refused). Reasoning signed by another vendor rides back and forth in
 * {@code encrypted_content} as a {@link dev.relaycluster.protocol.convert.CarriedSignature}.
 */
public final class ResponsesCodec implements DialectCodec {
  public static final ResponsesCodec INSTANCE = new ResponsesCodec();

  private ResponsesCodec() {}

  @Override
  public DialectId dialect() {
    return DialectId.OPENAI_RESPONSES;
  }

  @Override
  public Conversation readRequest(String endpoint, byte[] body) {
    return RequestReader.read(endpoint, body);
  }

  @Override
  public WrittenRequest writeRequest(Conversation conversation, ReplayBook replay) {
    return RequestWriter.write(conversation, replay == null ? ReplayBook.NONE : replay);
  }

  @Override
  public StreamDecoder newDecoder() {
    return new ResponsesDecoder();
  }

  @Override
  public StreamEncoder newEncoder(AnswerOptions options) {
    return new ResponsesEncoder(options);
  }

  @Override
  public WholeAnswer readAnswer(byte[] body) {
    return WholeResponses.read(body);
  }

  @Override
  public byte[] writeAnswer(WholeAnswer answer, AnswerOptions options) {
    return WholeResponses.write(answer, options);
  }

  /** {@code error.message}, or the ChatGPT backend's {@code detail}; null when neither. */
  @Override
  public String errorMessage(byte[] body) {
    if (body == null) {
      return null;
    }
    JsonNode root = Json.tryParse(body).orElse(null);
    if (root == null || !root.isObject()) {
      return null;
    }
    String message = Json.text(root.get("error"), "message");
    if (message == null && root.path("response").isObject()) {
      message = Json.text(root.path("response").get("error"), "message");
    }
    if (message == null) {
      message = Json.text(root, "message");
    }
    return message != null ? message : Json.text(root, "detail");
  }
}
