package dev.relaycluster.relay;

import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.cluster.LeaseBook;
import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import scala.concurrent.ExecutionContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases of one request and its end, done exactly once whatever path ends it: the account lease is
 * released, the usage is recorded in the key's entity (idempotent by request id, retried on timeouts)
 * and the key lease released with it. Every lease held is noted in the node's lease book, so an entity
 * restarted elsewhere can recover them.
 */
public final class Settlement {
  private static final Logger log = LoggerFactory.getLogger(Settlement.class);
  /** Tries over about a minute: long enough for a shard to move off a node that died. */
  private static final int ATTEMPTS = 8;

  private final EntityRef<ApiKeyEntity.Command> key;
  private final String keyLeaseId;
  private final Duration askTimeout;
  private final Scheduler scheduler;
  private final ExecutionContext executor;
  private final Runnable onRecorded;
  private final LeaseBook book;
  private final String keyEntity;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile EntityRef<AccountEntity.Command> account;
  private volatile String accountLeaseId;
  private volatile String accountEntity;

  /**
   * @param onRecorded run once the usage is recorded, or recording was given up
   */
  public Settlement(EntityRef<ApiKeyEntity.Command> key, String keyLeaseId, LeaseBook book,
      Duration askTimeout, Scheduler scheduler, ExecutionContext executor, Runnable onRecorded) {
    this.key = key;
    this.book = book;
    this.keyEntity = ApiKeyEntity.persistenceId(key.getEntityId()).id();
    book.held(keyEntity, keyLeaseId);
    this.keyLeaseId = keyLeaseId;
    this.askTimeout = askTimeout;
    this.scheduler = scheduler;
    this.executor = executor;
    this.onRecorded = onRecorded;
  }

  public void accountAcquired(EntityRef<AccountEntity.Command> ref, String leaseId) {
    this.account = ref;
    this.accountLeaseId = leaseId;
    this.accountEntity = AccountEntity.persistenceId(ref.getEntityId()).id();
    book.held(accountEntity, leaseId);
  }

  /** Releases the current account lease early (the account was refused upstream or failed before answering). */
  public void releaseAccount() {
    EntityRef<AccountEntity.Command> ref = account;
    String lease = accountLeaseId;
    account = null;
    accountLeaseId = null;
    if (ref != null) {
      ref.tell(new AccountEntity.Release(lease));
      book.released(accountEntity, lease);
    }
  }

  public boolean settled() {
    return done.get();
  }

  /** Settles once; later calls do nothing. */
  public void settle(UsageRecord usage) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    releaseAccount();
    book.released(keyEntity, keyLeaseId);
    record(usage, 1);
  }

  private void record(UsageRecord usage, int attempt) {
    CompletionStage<Done> ack = key.ask(reply -> new ApiKeyEntity.Settle(keyLeaseId, usage, reply), askTimeout);
    ack.whenComplete((ok, failure) -> {
      if (failure == null) {
        onRecorded.run();
      } else if (attempt < ATTEMPTS) {
        Duration backoff = Duration.ofMillis(Math.min(8_000, 250L << attempt));
        scheduler.scheduleOnce(backoff, () -> record(usage, attempt + 1), executor);
      } else {
        log.error("usage of request {} (key {}) could not be recorded after {} attempts: {}",
            usage.requestId(), usage.keyId(), ATTEMPTS, failure.toString());
        // The entity may be alive but slow: do not leave it holding the lease (and its cost reservation).
        key.tell(new ApiKeyEntity.Release(keyLeaseId));
        onRecorded.run();
      }
    });
  }
}
