package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;

/**
 * When a key stops working: never, at a fixed time ({@code expiresAt}), or {@code activationMillis}
 * after its first admitted request (activation mode).
 */
public record KeyExpiry(Mode mode, long expiresAt, long activationMillis) implements CborSerializable {
  public enum Mode { NONE, FIXED, ACTIVATION }

  public static final KeyExpiry NONE = new KeyExpiry(Mode.NONE, 0, 0);

  public KeyExpiry {
    mode = mode == null ? Mode.NONE : mode;
  }

  public static KeyExpiry fixed(long expiresAt) {
    return new KeyExpiry(Mode.FIXED, expiresAt, 0);
  }

  public static KeyExpiry activation(long activationMillis) {
    return new KeyExpiry(Mode.ACTIVATION, 0, activationMillis);
  }

  /** When the key expires given when it was activated (0 = not yet); 0 when it does not (yet) expire. */
  public long expiresAt(long activatedAt) {
    return switch (mode) {
      case NONE -> 0;
      case FIXED -> expiresAt;
      case ACTIVATION -> activatedAt > 0 ? activatedAt + activationMillis : 0;
    };
  }

  public boolean expired(long activatedAt, long now) {
    long at = expiresAt(activatedAt);
    return at > 0 && now >= at;
  }

  /** Whether the first admitted request starts the clock. */
  public boolean activatesOnFirstUse(long activatedAt) {
    return mode == Mode.ACTIVATION && activatedAt == 0;
  }
}
