package dev.relaycluster.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Upstream accounts by pool and state, and those cooling by pool, counted from the node's replica of the pool
 * (no hop) each time the metrics are scraped. Every state of {@code states} is shown for every pool that has
 * an account, so a state that empties reads 0 rather than vanishing.
 */
final class AccountGauges implements Runnable {
  private final Supplier<? extends Collection<AccountSample>> accounts;
  private final List<String> states;
  private final MultiGauge byState;
  private final MultiGauge cooling;

  AccountGauges(MeterRegistry registry, Supplier<? extends Collection<AccountSample>> accounts, List<String> states) {
    this.accounts = accounts;
    this.states = List.copyOf(states);
    this.byState = MultiGauge.builder("relay.accounts")
        .description("Upstream accounts by pool and state, from this node's replica of the pool")
        .register(registry);
    this.cooling = MultiGauge.builder("relay.accounts.cooling")
        .description("Upstream accounts with a cooldown in force, by pool")
        .register(registry);
  }

  /** Counts the accounts now and replaces the gauges' rows. */
  @Override
  public void run() {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    Map<String, Integer> coolingCounts = new TreeMap<>();
    for (AccountSample a : accounts.get()) {
      String pool = RequestMeters.label(a.pool());
      Map<String, Integer> byPool = counts.computeIfAbsent(pool, p -> {
        Map<String, Integer> zero = new TreeMap<>();
        states.forEach(s -> zero.put(s, 0));
        return zero;
      });
      byPool.merge(RequestMeters.label(a.state()), 1, Integer::sum);
      coolingCounts.merge(pool, a.cooling() ? 1 : 0, Integer::sum);
    }
    List<MultiGauge.Row<?>> stateRows = new ArrayList<>();
    counts.forEach((pool, byPool) -> byPool.forEach((state, n) ->
        stateRows.add(MultiGauge.Row.of(Tags.of("pool", pool, "state", state), n))));
    List<MultiGauge.Row<?>> coolingRows = new ArrayList<>();
    coolingCounts.forEach((pool, n) -> coolingRows.add(MultiGauge.Row.of(Tags.of("pool", pool), n)));
    byState.register(stateRows, true);
    cooling.register(coolingRows, true);
  }
}
