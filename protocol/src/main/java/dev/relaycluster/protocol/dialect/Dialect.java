package dev.relaycluster.protocol.dialect;

import dev.relaycluster.protocol.usage.MessageUsage;
import java.util.function.Function;

/**
 * How one kind of client speaks: reading a request into a {@link RequestView}, tapping usage from an
 * answer, and the error bodies the real API would send (whole, and as an event inside a stream).
 * Implementations are stateless and pure.
 */
public interface Dialect {

  DialectId id();

  /**
   * Reads a client request. {@code endpoint} is the dialect's name for what is called (for example
   * "messages", "count_tokens", "responses", "compact"); {@code header} maps a lower-case header name to
   * its value or null; {@code keyId} salts a session key derived from the request's prefix.
   *
   * @throws InvalidRequestException with a message for the client when the body cannot be relayed
   */
  RequestView read(String endpoint, byte[] body, Function<String, String> header, String keyId);

  /**
   * The endpoint as the usage record names it (at most 64 characters): the endpoint itself unless the
   * dialect's endpoints carry more (Gemini's name the model, which the record keeps on its own).
   */
  default String recordedEndpoint(String endpoint) {
    return endpoint;
  }

  /** A new tap for one streamed answer in this dialect. */
  UsageTap newTap();

  /**
   * Whether a new tap ({@link #newTap}) fed only {@code length} bytes of {@code sse} from {@code offset} could
   * report an in-stream error ({@link UsageTap#errorType}): false only when it certainly could not, so a caller
   * that wants to know (is a stream's first chunk an error?) may leave the tap out. A quick byte check
   * ({@link StreamErrorMarks}); true, "maybe", unless a dialect says otherwise.
   */
  default boolean mayHoldStreamError(byte[] sse, int offset, int length) {
    return true;
  }

  /** Model and usage of a whole (not streamed) successful answer to {@code endpoint}. */
  MessageUsage wholeUsage(String endpoint, byte[] body);

  /**
   * The whole answer a streamed one adds up to, for a client that asked for a whole answer from an
   * upstream that only streams (the ChatGPT Codex backend); null when the stream has no final event or
   * the dialect cannot add one up.
   */
  default byte[] wholeFromStream(byte[] sse) {
    return null;
  }

  /** The error type this dialect's API names {@code kind} with (stored in the usage record too). */
  String errorType(ErrorKind kind);

  /** A whole error body, UTF-8 JSON. */
  byte[] errorBody(ErrorKind kind, String message);

  /** An error event to end a stream that broke off, as the real API would send it (SSE bytes). */
  byte[] streamErrorEvent(ErrorKind kind, String message);
}
