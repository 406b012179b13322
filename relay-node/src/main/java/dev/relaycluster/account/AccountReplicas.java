package dev.relaycluster.account;

import dev.relaycluster.store.CredentialDecryptionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * This node's copy of the account definitions its {@link AccountEntity}s last granted it, one per actor
 * system, so that a request for an account without a concurrency limit can take it without asking its
 * entity (see {@link ReplicaAcquire} for when). In memory only, never serialised; it holds the sealed
 * credentials as the entity sent them and, of the opened ones, only the token's expiry.
 *
 * <p>What an Acquire did besides the lease (the admin's "last used", the background quota reading) is
 * kept by a "used at" tell that {@link #usedTellDue} allows at most once per {@link #USED_EVERY_MS} per
 * account.
 */
public final class AccountReplicas implements Extension {
  /** At most one "used at" tell per account per node this often. */
  public static final long USED_EVERY_MS = 5_000;

  private final ConcurrentHashMap<String, ReplicaAcquire.Held> held = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> usedToldAt = new ConcurrentHashMap<>();
  private final AtomicLong taken = new AtomicLong();

  public static final ExtensionId<AccountReplicas> ID = new ExtensionId<>() {
    @Override
    public AccountReplicas createExtension(ActorSystem<?> system) {
      return new AccountReplicas();
    }
  };

  public static AccountReplicas get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * Keeps what the entity granted (a grant without a revision, from an older node, is not kept). An OAuth
   * account's secrets are opened with {@code vault} to read when its tokens fall due for a refresh,
   * {@code aheadMs} before expiry; when they cannot be opened the account is not kept.
   */
  public void keep(AccountEntity.Granted granted, CredentialVault vault, long aheadMs) {
    AccountDefinition d = granted.account();
    if (d == null || granted.revision() <= 0) {
      return;
    }
    AccountSecrets secrets = null;
    if (d.type().oauth() && vault != null) {
      try {
        secrets = vault.open(d.id(), d.sealedSecrets());
      } catch (CredentialDecryptionException | IllegalStateException e) {
        secrets = null;
      }
    }
    long dueAt = ReplicaAcquire.refreshDueAt(d.type(), secrets, aheadMs);
    if (dueAt == Long.MIN_VALUE) {
      held.remove(d.id());
      return;
    }
    ReplicaAcquire.Held next = new ReplicaAcquire.Held(d, granted.revision(), dueAt);
    held.merge(d.id(), next, (old, fresh) -> old.revision() > fresh.revision() ? old : fresh);
  }

  /**
   * The definition a request for a model of {@code family} may use at {@code now} without asking the
   * account's entity, as this node's {@code pool} view shows the account; null: ask.
   */
  public AccountDefinition take(PoolView pool, String accountId, String family, long now) {
    ReplicaAcquire.Held h = held.get(accountId);
    if (h == null) {
      return null;
    }
    if (!ReplicaAcquire.mayTake(h, pool.find(accountId).orElse(null), family, now)) {
      return null;
    }
    taken.incrementAndGet();
    return h.definition();
  }

  /** Forgets the account (its credentials were refused, or its entity refused a lease): the next request asks. */
  public void drop(String accountId) {
    held.remove(accountId);
  }

  /** Whether this node should tell the account "used at {@code now}" (and notes it as told when so). */
  public boolean usedTellDue(String accountId, long now) {
    boolean[] due = new boolean[1];
    usedToldAt.compute(accountId, (id, last) -> {
      due[0] = last == null || now - last >= USED_EVERY_MS || now < last;
      return due[0] ? now : last;
    });
    return due[0];
  }

  /** How many requests took an account from this replica since the node started (for tests and metrics). */
  public long taken() {
    return taken.get();
  }

  /** Whether a definition of the account is kept (current or not). */
  public boolean holds(String accountId) {
    return held.containsKey(accountId);
  }
}
