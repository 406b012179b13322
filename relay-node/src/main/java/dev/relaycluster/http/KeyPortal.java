package dev.relaycluster.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.config.PortalSettings;
import dev.relaycluster.portal.PortalJson;
import dev.relaycluster.portal.SetupSnippets;
import dev.relaycluster.portal.UsageSeries;
import dev.relaycluster.usage.AggregateRow;
import dev.relaycluster.usage.Dimension;
import dev.relaycluster.usage.RequestLogRow;
import dev.relaycluster.usage.UsageQueries;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the key holders' portal reads besides the key's entity: the key's own usage over time and newest
 * requests from the usage ledger (always filtered to that key), and the set-up snippets for the pools it may
 * use, addressed to this relay's public URL. A ledger that cannot be read leaves those parts out (marked
 * {@code "ledgerAvailable": false}) instead of failing the page.
 */
public final class KeyPortal {
  private static final Logger log = LoggerFactory.getLogger(KeyPortal.class);
  static final int RECENT = 20;

  private final UsageQueries usage;
  private final ZoneId zone;
  private final PortalSettings settings;
  private final TrustedProxies proxies;

  KeyPortal(UsageQueries usage, ZoneId zone, PortalSettings settings, TrustedProxies proxies) {
    this.usage = usage;
    this.zone = zone;
    this.settings = settings;
    this.proxies = proxies;
  }

  /** On the node's own ledger reader. */
  static KeyPortal over(ActorSystem<?> system, UsageQueries usage) {
    return new KeyPortal(usage, usage.zone(), PortalSettings.from(system.settings().config()),
        TrustedProxies.from(system.settings().config()));
  }

  /** {@code series} (the last 30 days by day, today by hour) and {@code recent} requests of this key alone. */
  CompletionStage<ObjectNode> ledger(String keyId, long now, java.time.Duration timeout) {
    UsageQueries q = usage;
    UsageSeries.Range days = UsageSeries.lastDays(now, zone, UsageSeries.DAYS);
    UsageSeries.Range hours = UsageSeries.todayByHour(now, zone);
    CompletionStage<List<AggregateRow>> daily = q.aggregates(days.period(), Dimension.KEY, days.from(), days.to(),
        keyId);
    CompletionStage<List<AggregateRow>> hourly = q.aggregates(hours.period(), Dimension.KEY, hours.from(),
        hours.to(), keyId);
    CompletionStage<List<RequestLogRow>> recent = q.recentRequests(keyId, RECENT);
    return daily.thenCombine(hourly, (d, h) -> {
      ObjectNode out = JsonResponses.MAPPER.createObjectNode().put("ledgerAvailable", true);
      ObjectNode series = out.putObject("series").put("zone", zone.getId());
      series.set("daily", PortalJson.series(UsageSeries.fill(days, d, zone)));
      series.set("hourly", PortalJson.series(UsageSeries.fill(hours, h, zone)));
      return out;
    }).thenCombine(recent, (out, rows) -> {
      // The query is by this key already; the filter keeps it so whatever the query becomes.
      out.set("recent", PortalJson.recent(rows.stream().filter(r -> keyId.equals(r.keyId())).toList()));
      return out;
    }).toCompletableFuture()
        .completeOnTimeout(null, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionally(e -> unavailable(keyId, e))
        .thenApply(out -> out != null ? out : unavailable(keyId, new java.util.concurrent.TimeoutException(
            "no answer within " + timeout.toMillis() + " ms")));
  }

  private static ObjectNode unavailable(String keyId, Throwable e) {
    log.warn("the usage ledger could not be read for key {}: {}", keyId, e.toString());
    return JsonResponses.MAPPER.createObjectNode().put("ledgerAvailable", false);
  }

  /** The set-up snippets for the key's pools, addressed to this relay as the request reached it. */
  ObjectNode setup(KeyEntry key, HttpRequest req) {
    String base = RequestOrigin.baseUrl(settings.publicUrl(), req, proxies);
    return PortalJson.setup(base, settings.publicUrlSet(),
        SetupSnippets.forKey(base, key.settings().access().pools()));
  }
}
