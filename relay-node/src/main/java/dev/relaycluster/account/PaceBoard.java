package dev.relaycluster.account;

import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.config.PaceSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every account's pace as the cluster sees it. This node records the outcome of each of its attempts
 * ({@link #record}) into its own running figures and shares them through a replicated view at most every
 * {@code publish-interval} (at once when its verdict on the account changes); {@link #lagging} reads the
 * figures of every node, without a hop. Without a view (tests, a node on its own) only this node's figures
 * count.
 */
public final class PaceBoard {
  private final PaceSettings settings;
  private final String node;
  private final ReplicatedView<AccountPace> view;
  private final Map<String, AccountPace> own = new ConcurrentHashMap<>();
  private final Map<String, Long> publishedAt = new ConcurrentHashMap<>();
  private volatile Index index = new Index(null, Map.of());

  private record Index(Map<String, AccountPace> source, Map<String, List<AccountPace>> byAccount) {}

  public PaceBoard(PaceSettings settings, String node, ReplicatedView<AccountPace> view) {
    this.settings = settings;
    this.node = node;
    this.view = view;
  }

  /** A board that never calls an account lagging and shares nothing. */
  public static PaceBoard off() {
    return new PaceBoard(PaceSettings.OFF, "local", null);
  }

  public PaceSettings settings() {
    return settings;
  }

  /** One attempt on {@code accountId}: a failure, or a success whose first byte came after that many ms. */
  public void record(String accountId, boolean failed, long firstByteMillis) {
    if (!settings.enabled()) {
      return;
    }
    long now = System.currentTimeMillis();
    long window = settings.window().toMillis();
    boolean[] flipped = new boolean[1];
    AccountPace next = own.compute(accountId, (id, before) -> {
      AccountPace start = before == null || now - before.at() > window
          ? new AccountPace(AccountPace.idOf(id, node), id, node, before == null ? 0 : before.revision(), -1, 0, 0, now)
          : before;
      AccountPace after = PaceRule.after(start, failed, firstByteMillis, now);
      flipped[0] = lags(start, now) != lags(after, now);
      return after;
    });
    Long last = publishedAt.get(accountId);
    if (flipped[0] || last == null || now - last >= settings.publishInterval().toMillis()) {
      publishedAt.put(accountId, now);
      if (view != null) {
        view.publish(next);
      }
    }
  }

  /** Whether the cluster's fresh figures say {@code accountId} is too slow or failing too often. */
  public boolean lagging(String accountId, long now) {
    return settings.enabled() && PaceRule.lagging(summary(accountId, now), settings);
  }

  /** The cluster's fresh figures for one account. */
  public PaceSummary summary(String accountId, long now) {
    if (view == null) {
      AccountPace mine = own.get(accountId);
      return mine == null ? PaceSummary.NONE : PaceRule.merge(List.of(mine), now, settings.window().toMillis());
    }
    List<AccountPace> nodes = index().getOrDefault(accountId, List.of());
    return PaceRule.merge(nodes, now, settings.window().toMillis());
  }

  private boolean lags(AccountPace mine, long now) {
    return PaceRule.lagging(PaceRule.merge(List.of(mine), now, settings.window().toMillis()), settings);
  }

  /** The replicated entries grouped by account, rebuilt only when the view's snapshot changed. */
  private Map<String, List<AccountPace>> index() {
    Map<String, AccountPace> entries = view.entries();
    Index current = index;
    if (current.source() == entries) {
      return current.byAccount();
    }
    Map<String, List<AccountPace>> grouped = new HashMap<>();
    for (AccountPace p : entries.values()) {
      grouped.computeIfAbsent(p.accountId(), k -> new ArrayList<>()).add(p);
    }
    index = new Index(entries, grouped);
    return grouped;
  }
}
