package dev.relaycluster.http;

/**
 * When a connection's next request head is due, and when its one timer must fire (pure; the connection guard's
 * stage holds one per connection and calls it on its own thread). A kept-alive connection awaits a head after
 * every answer, but it does not arm a timer each time: a cancelled timer of pekko's scheduler stays in its wheel
 * until the wheel next reaches its slot (up to a turn of the wheel, about 5 s with pekko's defaults), so a
 * keep-alive timer per request kept seconds of requests' timers in the heap, long enough at thousands of
 * requests a second to outlive young collections and be promoted. Here a wait moves the deadline; a timer is
 * armed only when none is out or the new deadline comes before it, and a timer that fires early for the
 * deadline it finds arms itself again for the rest.
 */
final class HeadDeadline {
  /** Nothing to do: no timer need be armed now. */
  static final long NONE = -1;
  /** The timer's answer: the head is late, close the connection. */
  static final long CLOSE = -2;

  /** When the awaited head is due (nanoTime); meaningful only while {@link #awaiting}. */
  private long due;
  private boolean awaiting;
  /** When the timer that is out fires (nanoTime); meaningful only while {@link #armed}. */
  private long firesAt;
  private boolean armed;

  /**
   * A head is awaited from {@code now} for {@code timeoutNanos}: the delay to arm the timer with (replacing the
   * one out, if any), or {@link #NONE} when the timer out fires in time.
   */
  long await(long now, long timeoutNanos) {
    due = now + timeoutNanos;
    awaiting = true;
    if (armed && firesAt - due <= 0) {
      return NONE;
    }
    armed = true;
    firesAt = due;
    return timeoutNanos;
  }

  /** The awaited head came (the timer, if out, stays: it finds nothing awaited when it fires). */
  void arrived() {
    awaiting = false;
  }

  /** The timer was cancelled with the stage's end of input. */
  void disarmed() {
    armed = false;
  }

  /**
   * The timer fired at {@code now}: {@link #CLOSE} when the awaited head is late, the delay to arm it with again
   * when a head is awaited but not yet due, {@link #NONE} when none is awaited.
   */
  long fired(long now) {
    armed = false;
    if (!awaiting) {
      return NONE;
    }
    long left = due - now;
    if (left <= 0) {
      return CLOSE;
    }
    armed = true;
    firesAt = due;
    return left;
  }
}
