package dev.relaycluster.protocol.convert;

import dev.relaycluster.protocol.dialect.ErrorKind;

/**
 * A request that cannot be carried to the target dialect (a feature it lacks, a part it cannot express)
 * or cannot be read at all: the message names the field or feature, for the client, in its own dialect;
 * {@code kind} says how (usually {@link ErrorKind#INVALID_REQUEST}).
 */
public final class ConversionException extends RuntimeException {
  private final ErrorKind kind;

  public ConversionException(String message) {
    this(ErrorKind.INVALID_REQUEST, message);
  }

  public ConversionException(ErrorKind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
