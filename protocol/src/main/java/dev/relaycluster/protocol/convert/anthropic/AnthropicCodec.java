package dev.relaycluster.protocol.convert.anthropic;

import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.DialectCodec;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.StreamDecoder;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.convert.WholeAnswer;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;

/**
 * The Anthropic Messages dialect's codec: Claude Code and the Anthropic SDKs read as clients
 * ({@code messages}, {@code count_tokens}), Claude accounts written to as the upstream
 * ({@code messages}), their streams decoded and encoded exactly as api.anthropic.com sends them.
 */
public final class AnthropicCodec implements DialectCodec {

  public static final AnthropicCodec INSTANCE = new AnthropicCodec();

  private AnthropicCodec() {}

  @Override
  public DialectId dialect() {
    return DialectId.ANTHROPIC;
  }

  /** {@code endpoint} is "messages" or "count_tokens" (both bodies read the same way). */
  @Override
  public Conversation readRequest(String endpoint, byte[] body) {
    if (!"messages".equals(endpoint) && !"count_tokens".equals(endpoint)) {
      throw new ConversionException(ErrorKind.NOT_FOUND, "no Messages API endpoint '" + endpoint + "'");
    }
    return MessagesReader.read(body);
  }

  @Override
  public WrittenRequest writeRequest(Conversation conversation, ReplayBook replay) {
    return MessagesWriter.write(conversation, replay);
  }

  @Override
  public StreamDecoder newDecoder() {
    return new MessagesStreamDecoder();
  }

  @Override
  public StreamEncoder newEncoder(AnswerOptions options) {
    return new MessagesStreamEncoder(options);
  }

  @Override
  public WholeAnswer readAnswer(byte[] body) {
    return MessagesAnswers.read(body);
  }

  @Override
  public byte[] writeAnswer(WholeAnswer answer, AnswerOptions options) {
    return MessagesAnswers.write(answer, options);
  }

  @Override
  public String errorMessage(byte[] body) {
    return MessagesAnswers.errorMessage(body);
  }

  /** {@code count_tokens}'s answer: {@code {"input_tokens":N}}. */
  @Override
  public byte[] tokenCount(long inputTokens) {
    return ("{\"input_tokens\":" + inputTokens + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
