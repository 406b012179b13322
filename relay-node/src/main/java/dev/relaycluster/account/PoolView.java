package dev.relaycluster.account;

import dev.relaycluster.cluster.ReplicatedView;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Every account's scheduling facts, replicated to all nodes with Distributed Data and read locally.
 * Each {@link AccountEntity} publishes its own entry when its definition or status changes.
 */
public final class PoolView {
  private final ReplicatedView<PoolEntry> view;
  private final PaceBoard paces;

  public PoolView(ReplicatedView<PoolEntry> view) {
    this(view, PaceBoard.off());
  }

  public PoolView(ReplicatedView<PoolEntry> view, PaceBoard paces) {
    this.view = view;
    this.paces = paces;
  }

  /** How fast and how reliably each account answered lately, over every node. */
  public PaceBoard paces() {
    return paces;
  }

  public Optional<PoolEntry> find(String accountId) {
    return Optional.ofNullable(view.entries().get(accountId));
  }

  /** Every entry as this node sees it now, deleted ones included; an immutable snapshot, not a copy. */
  public Collection<PoolEntry> snapshot() {
    return view.entries().values();
  }

  /** Accounts that are not deleted, in no particular order. */
  public List<PoolEntry> accounts() {
    return view.entries().values().stream().filter(e -> e.status() != AccountStatus.DELETED).toList();
  }

  public void publish(PoolEntry entry) {
    view.publish(entry);
  }

  public void publishAll(Collection<PoolEntry> entries) {
    view.publishAll(entries);
  }
}
