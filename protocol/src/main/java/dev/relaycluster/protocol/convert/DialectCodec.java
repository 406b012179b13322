package dev.relaycluster.protocol.convert;

import dev.relaycluster.protocol.dialect.DialectId;

/**
 * One dialect's side of every conversion (ARCHITECTURE.md §2): its requests read into and written from a
 * {@link Conversation}, its answers (whole and streamed) read into and written from the answer model.
 * Four codecs make every pair; no pair is written by hand. Stateless and pure; a part or feature the
 * dialect cannot express is refused with a {@link ConversionException} naming it.
 */
public interface DialectCodec {

  DialectId dialect();

  /** Reads a client's generation request to {@code endpoint} (the dialect's endpoint name). */
  Conversation readRequest(String endpoint, byte[] body);

  /** Writes {@code conversation} as a request to this dialect's upstream, putting back what {@code replay} kept. */
  WrittenRequest writeRequest(Conversation conversation, ReplayBook replay);

  /** A decoder for one streamed answer in this dialect. */
  StreamDecoder newDecoder();

  /** An encoder for one streamed answer to a client of this dialect. */
  StreamEncoder newEncoder(AnswerOptions options);

  /** Reads a whole successful answer. */
  WholeAnswer readAnswer(byte[] body);

  /** Writes a whole successful answer for a client of this dialect. */
  byte[] writeAnswer(WholeAnswer answer, AnswerOptions options);

  /** The human message inside an error body this dialect's API sends, or null when there is none. */
  String errorMessage(byte[] body);

  /**
   * Whether a client's request asks for usage inside its stream (Chat's {@code stream_options.include_usage});
   * dialects that always carry usage say false.
   */
  default boolean wantsStreamUsage(byte[] body) {
    return false;
  }

  /**
   * A token count answer in this dialect ({@code count_tokens}), for a client whose request goes to a pool
   * that cannot count (the relay estimates); null when the dialect has no such answer.
   */
  default byte[] tokenCount(long inputTokens) {
    return null;
  }
}
