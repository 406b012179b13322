package dev.relaycluster.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.config.MetricsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayMetricsTest {
  private final RelayMetrics metrics = new RelayMetrics(new MetricsSettings("", 2));

  private PrometheusSamples scrape() {
    Exposition e = metrics.scrape(null);
    assertEquals(RelayMetrics.PROMETHEUS_TEXT, e.contentType());
    return PrometheusSamples.parse(e.body());
  }

  @Test
  void requestsAreCountedByPoolDialectPlatformStatusClassAndOutcome() {
    metrics.requestFinished("claude", "anthropic", "claude-console", 200, "COMPLETED");
    metrics.requestFinished("claude", "anthropic", "claude-console", 201, "COMPLETED");
    metrics.requestFinished("claude", "anthropic", "claude-console", 529, "UPSTREAM_ERROR");
    metrics.requestFinished("openai", "openai-responses", null, 429, "REFUSED");

    PrometheusSamples s = scrape();
    assertEquals(2, s.sum("relay_requests_total", Map.of("pool", "claude", "dialect", "anthropic",
        "platform", "claude-console", "status", "2xx", "outcome", "completed")));
    assertEquals(1, s.sum("relay_requests_total", Map.of("status", "5xx", "outcome", "upstream_error")));
    assertEquals(1, s.sum("relay_requests_total", Map.of("pool", "openai", "platform", "none", "status", "4xx",
        "outcome", "refused")));
    assertEquals(3, s.count("relay_requests_total"), "one series per label set");
  }

  @Test
  void onlyKeysTheOperatorMarkedGetSeriesOfTheirOwn() {
    RelayMetrics marked = new RelayMetrics(new MetricsSettings("", 50, java.util.Set.of("team-a", "id-of-b")));
    assertTrue(marked.watchesKey("id-of-a", "team-a"), "by name");
    assertTrue(marked.watchesKey("id-of-b", "renamed-b"), "by id");
    assertFalse(marked.watchesKey("id-of-c", "team-c"));
    assertFalse(metrics.watchesKey("id-of-a", "team-a"), "nothing marked, nothing watched");
    marked.keyRequest("team-a", 200, 100, 20, 3_000);
    marked.keyRequest("team-a", 429, 0, 0, 0);
    PrometheusSamples s = PrometheusSamples.parse(marked.scrape(null).body());
    assertEquals(1, s.sum("relay_key_requests_total", Map.of("key", "team-a", "status", "2xx")));
    assertEquals(1, s.sum("relay_key_requests_total", Map.of("key", "team-a", "status", "4xx")));
    assertEquals(100, s.sum("relay_key_tokens_total", Map.of("key", "team-a", "kind", "input")));
    assertEquals(3_000, s.sum("relay_key_cost_micros_total", Map.of("key", "team-a")));
  }

  @Test
  void latenciesAreHistogramsWithBuckets() {
    metrics.ttfb("claude", "anthropic", 300_000_000L);
    metrics.ttfb("claude", "anthropic", 3_000_000_000L);
    metrics.relayOverhead("claude", "anthropic", 420_000L);
    metrics.upstreamLatency("claude", "claude-console", 800_000_000L);
    metrics.usageSettled(4_000_000L);

    PrometheusSamples s = scrape();
    Map<String, String> claude = Map.of("pool", "claude", "dialect", "anthropic");
    assertEquals(2, s.sum("relay_request_ttfb_seconds_count", claude));
    assertEquals(3.3, s.sum("relay_request_ttfb_seconds_sum", claude), 1e-9);
    // The service-level bounds are buckets of their own: one of the two answers came within half a second.
    assertEquals(1, s.bucket("relay_request_ttfb_seconds", Map.of("pool", "claude"), 0.5));
    assertEquals(2, s.bucket("relay_request_ttfb_seconds", Map.of("pool", "claude"), Double.POSITIVE_INFINITY));
    assertEquals(1, s.bucket("relay_overhead_seconds", Map.of("dialect", "anthropic"), 0.0005));
    assertEquals(0, s.bucket("relay_overhead_seconds", Map.of("dialect", "anthropic"), 0.0002));
    assertEquals(1, s.sum("relay_upstream_latency_seconds_count", Map.of("platform", "claude-console")));
    assertEquals(1, s.bucket("relay_usage_settle_seconds", Map.of(), 0.005));
  }

  @Test
  void journalWritesAreTimedByEntity() {
    metrics.journalWritten("apikey", 3_000_000L);
    metrics.journalWritten("apikey", 40_000_000L);
    metrics.journalWritten("account", 1_000_000L);

    PrometheusSamples s = scrape();
    assertEquals(2, s.sum("relay_journal_write_seconds_count", Map.of("entity", "apikey")));
    assertEquals(0.043, s.sum("relay_journal_write_seconds_sum", Map.of("entity", "apikey")), 1e-9);
    assertEquals(1, s.bucket("relay_journal_write_seconds", Map.of("entity", "apikey"), 0.005));
    assertEquals(2, s.bucket("relay_journal_write_seconds", Map.of("entity", "apikey"), 0.05));
    assertEquals(1, s.sum("relay_journal_write_seconds_count", Map.of("entity", "account")));
  }

  @Test
  void failoversAreCountedByCause() {
    metrics.failover("claude", "overloaded");
    metrics.failover("claude", "overloaded");
    metrics.failover("claude", "timeout");
    PrometheusSamples s = scrape();
    assertEquals(2, s.sum("relay_failovers_total", Map.of("pool", "claude", "cause", "overloaded")));
    assertEquals(1, s.sum("relay_failovers_total", Map.of("pool", "claude", "cause", "timeout")));
  }

  @Test
  void tokensAndCostAreByPoolAndModelWithTheModelsCapped() {
    metrics.tokens("claude", "claude-sonnet-4-5", "input", 100);
    metrics.tokens("claude", "claude-sonnet-4-5", "input", 20);
    metrics.tokens("claude", "claude-sonnet-4-5", "output", 0);
    metrics.tokens("openai", "gpt-5", "output", 7);
    metrics.tokens("gemini", "gemini-2.5-pro", "input", 5);
    metrics.cost("claude", "claude-sonnet-4-5", 1_500);
    metrics.cost("gemini", "gemini-2.5-pro", 30);

    PrometheusSamples s = scrape();
    assertEquals(120, s.sum("relay_tokens_total", Map.of("model", "claude-sonnet-4-5", "kind", "input")));
    assertEquals(0, s.sum("relay_tokens_total", Map.of("model", "claude-sonnet-4-5", "kind", "output")));
    assertFalse(s.all().stream().anyMatch(x -> x.name().equals("relay_tokens_total")
        && x.labels().get("kind").equals("output") && x.labels().get("pool").equals("claude")),
        "no series for zero tokens");
    assertEquals(7, s.sum("relay_tokens_total", Map.of("pool", "openai", "model", "gpt-5")));
    assertEquals(5, s.sum("relay_tokens_total", Map.of("pool", "gemini", "model", "other")),
        "a third model is past the cap of two");
    assertEquals(1_500, s.sum("relay_cost_micros_total", Map.of("model", "claude-sonnet-4-5")));
    assertEquals(30, s.sum("relay_cost_micros_total", Map.of("pool", "gemini", "model", "other")));
  }

  @Test
  void openStreamsAndSocketsGoUpAndDown() {
    metrics.streamOpened("claude");
    metrics.streamOpened("claude");
    metrics.streamOpened("openai");
    metrics.streamClosed("claude");
    metrics.socketOpened();
    metrics.socketOpened();
    metrics.socketClosed();
    PrometheusSamples s = scrape();
    assertEquals(1, s.sum("relay_streams_open", Map.of("pool", "claude")));
    assertEquals(1, s.sum("relay_streams_open", Map.of("pool", "openai")));
    assertEquals(1, s.sum("relay_websockets_open", Map.of()));
  }

  @Test
  void accountsAreCountedByPoolAndStateAtEachScrape() {
    List<AccountSample> accounts = new ArrayList<>(List.of(
        new AccountSample("claude", "active", false),
        new AccountSample("claude", "active", true),
        new AccountSample("claude", "paused", false),
        new AccountSample("openai", "unauthorized", false)));
    metrics.accountsFrom(() -> accounts, List.of("active", "paused", "blocked", "unauthorized"));

    PrometheusSamples s = scrape();
    assertEquals(2, s.sum("relay_accounts", Map.of("pool", "claude", "state", "active")));
    assertEquals(1, s.sum("relay_accounts", Map.of("pool", "claude", "state", "paused")));
    assertTrue(s.all().stream().anyMatch(x -> x.name().equals("relay_accounts")
        && x.labels().equals(Map.of("pool", "claude", "state", "blocked")) && x.value() == 0),
        "a state with no account reads 0");
    assertEquals(1, s.sum("relay_accounts", Map.of("pool", "openai", "state", "unauthorized")));
    assertEquals(1, s.sum("relay_accounts_cooling", Map.of("pool", "claude")));

    accounts.remove(1);
    s = scrape();
    assertEquals(1, s.sum("relay_accounts", Map.of("pool", "claude", "state", "active")), "counted again");
    assertEquals(0, s.sum("relay_accounts_cooling", Map.of("pool", "claude")));
  }

  @Test
  void gaugesReadTheirSourcesAtTheScrape() {
    int[] inFlight = {3};
    metrics.inFlightFrom(() -> inFlight[0]);
    metrics.usageBacklogFrom(() -> 4, () -> 2, () -> 90_000L);
    metrics.projectionLag("usage-0", 12);
    metrics.projectionLag("usage-0", 5);
    PrometheusSamples s = scrape();
    assertEquals(3, s.sum("relay_requests_in_flight", Map.of()));
    assertEquals(4, s.sum("relay_usage_backlog_records", Map.of()));
    assertEquals(2, s.sum("relay_usage_backlog_on_disk", Map.of()));
    assertEquals(90, s.sum("relay_usage_backlog_oldest_age_seconds", Map.of()));
    assertEquals(5, s.sum("relay_projection_lag_events", Map.of("tag", "usage-0")));
    inFlight[0] = 0;
    assertEquals(0, scrape().sum("relay_requests_in_flight", Map.of()));
  }

  @Test
  void openMetricsWhenTheAcceptHeaderAsks() {
    metrics.failover("claude", "timeout");
    Exposition e = metrics.scrape("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
    assertEquals(RelayMetrics.OPENMETRICS_TEXT, e.contentType());
    assertTrue(e.body().endsWith("# EOF\n"), e.body());
    assertEquals(1, PrometheusSamples.parse(e.body()).sum("relay_failovers_total", Map.of("cause", "timeout")));
    assertEquals(RelayMetrics.PROMETHEUS_TEXT, metrics.scrape("text/plain").contentType());
  }

  @Test
  void aFailingGaugeRefreshDoesNotFailTheScrape() {
    metrics.beforeEachScrape(() -> {
      throw new IllegalStateException("replica not ready");
    });
    metrics.failover("claude", "timeout");
    assertEquals(1, scrape().sum("relay_failovers_total", Map.of()));
  }
}
