package dev.relaycluster.account;

/**
 * Whether a request may take an account from this node's {@link AccountReplicas} without asking its
 * {@link AccountEntity}: a pure decision. Asking costs two sharded messages per request (Acquire and
 * Release); an account without a concurrency limit has no lease to count, so when nothing that the entity
 * would check on an Acquire has changed since it last granted this node the account, the node may use
 * the definition it kept.
 *
 * <p>The kept definition is current while the node's {@link PoolView} shows the revision it was granted
 * at: every event of the account (edit, pause, credentials or tokens renewed, cooldown, block, unauthorized,
 * delete) makes a new revision and publishes it.
 */
public final class ReplicaAcquire {
  private ReplicaAcquire() {}

  /**
   * A definition this node was granted: {@code revision} is the account's revision at the grant,
   * {@code refreshDueAt} the time (epoch millis) from which the entity would refresh its OAuth tokens
   * before handing them out ({@link Long#MAX_VALUE}: never). Holds no opened secret.
   */
  public record Held(AccountDefinition definition, long revision, long refreshDueAt) {}

  /**
   * Whether {@code held} may be used for a request for a model of {@code family} at {@code now}, as
   * {@code entry} (this node's pool view of the account, null when absent) shows it: the same revision,
   * no concurrency limit, active (not paused, blocked, unauthorized or deleted), not cooling for the
   * family, and its tokens not due for a refresh.
   */
  public static boolean mayTake(Held held, PoolEntry entry, String family, long now) {
    if (held == null || entry == null || held.revision() <= 0 || entry.revision() != held.revision()) {
      return false;
    }
    AccountDefinition d = held.definition();
    if (d.maxConcurrency() != 0 || entry.maxConcurrency() != 0 || d.paused() || !entry.schedulable()) {
      return false;
    }
    return entry.coolingFor(family, now).isEmpty() && now < held.refreshDueAt();
  }

  /**
   * From when the entity would refresh the tokens of an account of {@code type} with {@code secrets}
   * before handing them out (as {@link TokenRefresh#due} decides, {@code aheadMs} before expiry);
   * {@link Long#MAX_VALUE} when it never would (not OAuth, no refresh token, no expiry). Null secrets (not
   * readable) give {@link Long#MIN_VALUE}: never take such an account from the replica.
   */
  public static long refreshDueAt(AccountType type, AccountSecrets secrets, long aheadMs) {
    if (!type.oauth()) {
      return Long.MAX_VALUE;
    }
    if (secrets == null) {
      return Long.MIN_VALUE;
    }
    boolean refreshable = secrets.refreshToken() != null && !secrets.refreshToken().isBlank();
    return refreshable && secrets.expiresAt() > 0 ? secrets.expiresAt() - aheadMs : Long.MAX_VALUE;
  }
}
