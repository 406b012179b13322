package dev.relaycluster.testing;

/**
 * A fault a raw-socket mock upstream plays instead of its answer, for every request made with one credential
 * ({@code fault(credential, MockFault)} on {@link MockAnthropic}, {@link MockOpenAi} (Responses and Chat
 * Completions) and {@link MockGemini}); {@link MockFaults} plays it in the credential's dialect. The faults that
 * are about a stream's events send a stream even to a request that asked for a whole answer.
 */
public enum MockFault {
  /** The connection is reset (TCP RST) before any byte of a status line. */
  RESET_BEFORE_HEADERS(false),
  /** Bytes that are not HTTP at all instead of a status line, then the connection closes. */
  GARBAGE_INSTEAD_OF_HTTP(false),
  /** A 200 head of the right content type, then bytes that are neither SSE nor JSON, then a clean end. */
  GARBAGE_AFTER_HEADERS(false),
  /** A 200 head, then nothing at all until the relay hangs up. */
  STALL(false),
  /** A 200 stream whose first event is the dialect's in-stream error (overloaded), then a clean end. */
  ERROR_FIRST(false),
  /** A 200 stream: some output, then the dialect's in-stream error event, then a clean end. */
  ERROR_AFTER_OUTPUT(true),
  /** A 200 stream cut after some of its output events by a TCP reset. */
  CUT_RESET(true),
  /** A 200 stream that ends cleanly (the chunked terminator) after some output, without its final event. */
  CUT_CLEAN(true),
  /** A 200 stream that stops after some output and stays open, sending nothing more. */
  STALL_AFTER_OUTPUT(true),
  /** The usual answer, its events (or a whole answer's pieces) spread out: it completes. */
  SLOW(false),
  /** A huge answer: thousands of events, or a whole answer of several MB; it completes. */
  HUGE(false);

  private final boolean afterOutput;

  MockFault(boolean afterOutput) {
    this.afterOutput = afterOutput;
  }

  /** Whether the fault comes only after output events were sent (bytes can have reached the client). */
  public boolean afterOutput() {
    return afterOutput;
  }

  /** Whether the answer is a good one in the end (slow or huge, but whole). */
  public boolean completes() {
    return this == SLOW || this == HUGE;
  }
}
