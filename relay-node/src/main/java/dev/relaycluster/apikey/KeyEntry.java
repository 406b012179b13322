package dev.relaycluster.apikey;

import dev.relaycluster.node.Versioned;

/**
 * What every node knows about a key, replicated by the {@link KeyDirectory}: enough to authenticate
 * and show it, never the plain key. {@code keyHint} is the first characters of the key for humans.
 */
public record KeyEntry(
    String id,
    String name,
    String keyHash,
    String keyHint,
    int concurrencyLimit,
    KeyStatus status,
    long createdAt,
    long revokedAt,
    long revision) implements Versioned {

  /** This key's service rate for a pool (rated cost = real cost × global rate × this); 1 when not set. */
  public double serviceRate(String pool) {
    return 1.0;
  }

  /** The key's dedicated account or group for a pool; {@link KeyBinding#NONE} when it uses the shared pool. */
  public KeyBinding binding(String pool) {
    return KeyBinding.NONE;
  }

  public boolean active() {
    return status == KeyStatus.ACTIVE;
  }
}
