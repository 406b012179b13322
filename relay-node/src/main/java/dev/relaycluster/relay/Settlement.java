package dev.relaycluster.relay;

import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.cluster.LeaseBook;
import dev.relaycluster.usage.UsageRecord;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The leases of one request and its end, done exactly once whatever path ends it: the account lease is
 * released, the usage is recorded in the key's entity (idempotent by request id) and the key lease
 * released with it. A record the entity does not take in time is never dropped: it goes to the node's
 * {@link UsageRedelivery} (on disk, sent again until it lands) and the key lease is released meanwhile.
 * Every lease held is noted in the node's lease book, so an entity restarted elsewhere can recover them.
 */
public final class Settlement {
  private final EntityRef<ApiKeyEntity.Command> key;
  private final String keyLeaseId;
  private final UsageRedelivery redelivery;
  private final Runnable onRecorded;
  private final Consumer<UsageRecord> onSettled;
  private final LeaseBook book;
  private final String keyEntity;
  /** Whether the key's entity holds a lease named {@link #keyLeaseId} for this request. */
  private final boolean keyLease;
  private final Consumer<UsageRecord> onEnded;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile EntityRef<AccountEntity.Command> account;
  private volatile String accountLeaseId;
  private volatile String accountEntity;
  private volatile String upstreamDialect;
  private volatile RouteTrace trace = RouteTrace.OFF;

  /**
   * @param redelivery delivers the usage, and keeps and re-sends it when the entity does not take it in time
   * @param onRecorded run once the usage is recorded, or kept on disk to be sent again
   */
  public Settlement(EntityRef<ApiKeyEntity.Command> key, String keyLeaseId, LeaseBook book,
      UsageRedelivery redelivery, Runnable onRecorded) {
    this(key, keyLeaseId, book, redelivery, onRecorded, usage -> {});
  }

  /** @param onSettled told the request's usage record once, when it settles (not when it settles without one) */
  public Settlement(EntityRef<ApiKeyEntity.Command> key, String keyLeaseId, LeaseBook book,
      UsageRedelivery redelivery, Runnable onRecorded, Consumer<UsageRecord> onSettled) {
    this(key, keyLeaseId, true, usage -> {}, book, redelivery, onRecorded, onSettled);
  }

  private Settlement(EntityRef<ApiKeyEntity.Command> key, String keyLeaseId, boolean keyLease,
      Consumer<UsageRecord> onEnded, LeaseBook book, UsageRedelivery redelivery, Runnable onRecorded,
      Consumer<UsageRecord> onSettled) {
    this.onSettled = onSettled;
    this.key = key;
    this.book = book;
    this.keyEntity = ApiKeyEntity.persistenceId(key.getEntityId()).id();
    this.keyLease = keyLease;
    this.onEnded = onEnded;
    if (keyLease) {
      book.held(keyEntity, keyLeaseId);
    }
    this.keyLeaseId = keyLeaseId;
    this.redelivery = redelivery;
    this.onRecorded = onRecorded;
  }

  /**
   * A request admitted on this node without a lease on its key (a key without limits, or one on the node's
   * shares of its slots or allowance): its usage is settled under {@code requestId}, which names no lease, so
   * the settlement releases nothing on the key; {@code onEnded} is told once when the request settles, with
   * its usage or null (gives its slot and its share's hold back).
   */
  public static Settlement withoutKeyLease(EntityRef<ApiKeyEntity.Command> key, String requestId,
      Consumer<UsageRecord> onEnded, LeaseBook book, UsageRedelivery redelivery, Runnable onRecorded,
      Consumer<UsageRecord> onSettled) {
    return new Settlement(key, requestId, false, onEnded, book, redelivery, onRecorded, onSettled);
  }

  /**
   * The dialect the request went upstream in, when a try converted it (its record then names both the
   * client's dialect and this one).
   */
  public void upstreamDialect(String wireName) {
    this.upstreamDialect = wireName;
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

  /** The request's decision trace, told how the request ended. */
  void traced(RouteTrace trace) {
    this.trace = trace;
  }

  public boolean settled() {
    return done.get();
  }

  /** Settles once; later calls do nothing. */
  public void settle(UsageRecord record) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    String upstream = upstreamDialect;
    UsageRecord dialected = record != null && upstream != null && !upstream.equals(record.upstreamDialect())
        ? record.withUpstreamDialect(upstream) : record;
    // The tries in short, for the ledger's request log as for the node's (null for a trace that notes nothing).
    String route = dialected == null ? null : trace.shortForm();
    UsageRecord usage = route == null ? dialected : dialected.withRoute(route);
    releaseAccount();
    onEnded.accept(usage);
    if (keyLease) {
      book.released(keyEntity, keyLeaseId);
    }
    if (usage == null) {
      releaseKeyLease();
      onRecorded.run();
      return;
    }
    trace.ended(usage);
    onSettled.accept(usage);
    redelivery.deliver(key.getEntityId(), keyLeaseId, usage).whenComplete((ok, failure) -> {
      trace.delivered(failure == null);
      if (failure == null) {
        onRecorded.run();
        return;
      }
      // The entity may be alive but slow: do not leave it holding the lease (and its cost reservation).
      releaseKeyLease();
      redelivery.keep(keyLeaseId, usage).whenComplete((kept, error) -> onRecorded.run());
    });
  }

  private void releaseKeyLease() {
    if (keyLease) {
      key.tell(new ApiKeyEntity.Release(keyLeaseId));
    }
  }
}
