package dev.relaycluster.apikey;

import dev.relaycluster.cluster.Versioned;

/**
 * What every node knows about a key, replicated by the {@link KeyDirectory}: enough to authenticate it,
 * apply its static policy (pools, models, clients, expiry) and show it, never the plain key.
 * {@code keyHint} is the first characters of the key for humans; {@code activatedAt} is when an
 * activation-mode key was first used (0 = not yet). {@code legacySalt} is set on a key imported from
 * claude-relay-service: that relay's salt (its old ENCRYPTION_KEY), sealed by this relay's cipher, with which
 * {@code keyHash} was made ({@code sha256(plainKey + salt)}); null on the relay's own keys.
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
    long revision,
    KeySettings settings,
    long activatedAt,
    long deletedAt,
    String legacySalt) implements Versioned {

  public KeyEntry {
    settings = settings == null ? KeySettings.basic(name, concurrencyLimit) : settings;
  }

  /** A key of this relay's own (hashed without a salt). */
  public KeyEntry(String id, String name, String keyHash, String keyHint, int concurrencyLimit, KeyStatus status,
      long createdAt, long revokedAt, long revision, KeySettings settings, long activatedAt, long deletedAt) {
    this(id, name, keyHash, keyHint, concurrencyLimit, status, createdAt, revokedAt, revision, settings, activatedAt,
        deletedAt, null);
  }

  /** A key with only a name and a concurrency limit. */
  public KeyEntry(String id, String name, String keyHash, String keyHint, int concurrencyLimit, KeyStatus status,
      long createdAt, long revokedAt, long revision) {
    this(id, name, keyHash, keyHint, concurrencyLimit, status, createdAt, revokedAt, revision, null, 0, 0, null);
  }

  /** This key's service rate for a pool (rated cost = real cost × global rate × this); 1 when not set. */
  public double serviceRate(String pool) {
    return settings.serviceRates().getOrDefault(pool, 1.0);
  }

  /** The key's dedicated account or group for a pool; {@link KeyBinding#NONE} when it uses the shared pool. */
  public KeyBinding binding(String pool) {
    return settings.bindings().getOrDefault(pool, KeyBinding.NONE);
  }

  public boolean active() {
    return status == KeyStatus.ACTIVE;
  }

  /** When the key expires (0 = it does not, or its activation clock has not started). */
  public long expiresAt() {
    return settings.expiry().expiresAt(activatedAt);
  }
}
