package dev.relaycluster.protocol.sse;

/** The event stream cannot be parsed safely (a line beyond {@link SseDecoder#MAX_LINE_BYTES}). */
public final class SseFormatException extends RuntimeException {

    public SseFormatException(String message) {
        super(message);
    }
}
