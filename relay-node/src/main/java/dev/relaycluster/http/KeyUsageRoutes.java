package dev.relaycluster.http;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.admin.KeyJson;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyUsage;
import dev.relaycluster.apikey.Usd;
import dev.relaycluster.portal.LimitLines;
import dev.relaycluster.portal.PortalJson;
import dev.relaycluster.usage.UsageQueries;
import dev.relaycluster.protocol.apikey.ApiKeyFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key holder's own usage and remaining limits, read with the key itself and never by id alone:
 * {@code GET /api/v1/key-usage} with the key where relay calls put it (mounted by {@link RelayRoutes}),
 * and the Node.js relay's {@code POST /apiStats/api/user-stats} with {@code {"apiKey": "cr_…"}}. A key
 * that is unknown, revoked or deleted gets 401. Expired keys may still read their usage.
 *
 * <p>The key holders' portal ({@code /key-usage}) reads the same {@code GET /api/v1/key-usage}, which also
 * lists every limit with its reset ({@code limits}), the key's usage by day and by hour ({@code series}) and
 * its newest requests ({@code recent}), and {@code GET /api/v1/key-usage/setup}: the set-up snippets for the
 * pools the key may use ({@link KeyPortal}).
 */
public final class KeyUsageRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(KeyUsageRoutes.class);
  private static final long MAX_BODY = 16 * 1024;

  private final KeyDirectory keys;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Materializer materializer;
  private final KeyPortal portal;

  /** Reading the usage ledger with the node's own reader. */
  public KeyUsageRoutes(ActorSystem<?> system, KeyDirectory keys, Duration askTimeout, Materializer materializer,
      UsageQueries usage) {
    this(system, keys, askTimeout, materializer, KeyPortal.over(system, usage));
  }

  private KeyUsageRoutes(ActorSystem<?> system, KeyDirectory keys, Duration askTimeout, Materializer materializer,
      KeyPortal portal) {
    this.keys = keys;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.materializer = materializer;
    this.portal = portal;
  }

  /**
   * The usage of an authenticated, active key, in the admin API's shape without its secrets, with its limits,
   * its usage over time and its newest requests.
   */
  public CompletionStage<HttpResponse> usage(KeyEntry key) {
    CompletionStage<ObjectNode> ledger = portal.ledger(key.id(), System.currentTimeMillis(), askTimeout);
    return ask(key).thenCombine(ledger, (u, l) -> {
      ObjectNode out = body(u);
      out.set("limits", PortalJson.limits(LimitLines.of(u)));
      out.setAll(l);
      return JsonResponses.ok(out);
    })
        .exceptionally(failure -> {
          log.warn("usage of key {} could not be read: {}", key.id(), failure.toString());
          return DialectResponses.error(AnthropicDialect.INSTANCE, ErrorKind.OVERLOADED,
              "usage could not be read in time; retry shortly");
        });
  }

  /**
   * {@code POST /apiStats/api/user-stats} as the Node.js relay's stats page calls it, by the key only, and the
   * portal's {@code GET /api/v1/key-usage/setup} (the key where relay calls put it).
   */
  public Route crsRoute() {
    return concat(setupRoute(), userStatsRoute());
  }

  private Route setupRoute() {
    return path(segment("api").slash("v1").slash("key-usage").slash("setup"), () -> get(() -> extractRequest(req -> {
      Optional<KeyEntry> key = ClientKeys.from(req).filter(ApiKeyFormat::isWellFormed)
          .flatMap(plain -> keys.find(plain)).filter(KeyEntry::active);
      return complete(key.isEmpty()
          ? DialectResponses.error(AnthropicDialect.INSTANCE, ErrorKind.AUTHENTICATION, ClientKeys.from(req).isEmpty()
              ? "missing API key: send it in x-api-key or Authorization: Bearer" : "invalid API key")
          : JsonResponses.ok(portal.setup(key.get(), req)));
    })));
  }

  private Route userStatsRoute() {
    return path(segment("apiStats").slash("api").slash("user-stats"), () -> post(() -> extractRequest(req ->
        completeWithFuture(req.entity().toStrict(5_000, MAX_BODY, materializer).thenCompose(strict -> {
          Optional<KeyEntry> key = keyFrom(strict.getData().toArrayUnsafe());
          if (key.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(JsonResponses.error(401,
                "authentication_error", "send {\"apiKey\": \"cr_…\"} with a valid, active API key"));
          }
          return ask(key.get()).thenApply(u -> {
            ObjectNode out = JsonResponses.MAPPER.createObjectNode().put("success", true);
            out.set("data", crsBody(u));
            return JsonResponses.ok(out);
          }).exceptionally(failure -> JsonResponses.error(503, "overloaded_error",
              "usage could not be read in time; retry shortly"));
        }).exceptionally(failure -> JsonResponses.error(400, "invalid_request_error",
            "the body must be a JSON object {\"apiKey\": \"cr_…\"} of at most " + MAX_BODY + " bytes"))))));
  }

  private Optional<KeyEntry> keyFrom(byte[] body) {
    JsonNode json;
    try {
      json = JsonResponses.MAPPER.readTree(body);
    } catch (IOException e) {
      return Optional.empty();
    }
    String plain = json != null && json.path("apiKey").isTextual() ? json.get("apiKey").asText().strip() : "";
    if (!ApiKeyFormat.isWellFormed(plain)) {
      return Optional.empty();
    }
    return keys.find(plain).filter(KeyEntry::active);
  }

  private CompletionStage<KeyUsage> ask(KeyEntry key) {
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, key.id()).ask(ApiKeyEntity.GetUsage::new, askTimeout);
  }

  /**
   * The holder's view with the fields the Node.js relay's stats page and its clients read: {@code
   * usage.total} and {@code limits} with the current amounts (USD as numbers, times in ISO-8601).
   */
  private static ObjectNode crsBody(KeyUsage u) {
    ObjectNode out = body(u);
    dev.relaycluster.apikey.KeyLimits l = u.key().settings().limits();
    ((ObjectNode) out.get("usage")).putObject("total").put("requests", u.requests()).put("allTokens", u.totalTokens())
        .put("cost", Usd.of(u.totalRatedMicros())).put("formattedCost", Usd.format(u.totalRatedMicros()));
    dev.relaycluster.apikey.RateWindowLimit wl = l.rateWindow();
    dev.relaycluster.apikey.RateWindow w = u.window();
    ObjectNode limits = out.putObject("limits").put("concurrencyLimit", l.concurrency())
        .put("rateLimitWindow", wl == null ? 0 : wl.minutes())
        .put("rateLimitRequests", wl == null ? 0 : wl.maxRequests())
        .put("tokenLimit", wl == null ? 0 : wl.maxTokens())
        .put("rateLimitCost", Usd.of(wl == null ? 0 : wl.maxCostMicros()))
        .put("dailyCostLimit", Usd.of(l.dailyCostMicros()))
        .put("totalCostLimit", Usd.of(l.totalCostMicros()))
        .put("weeklyOpusCostLimit", Usd.of(l.weeklyOpusCostMicros()))
        .put("currentWindowRequests", w == null ? 0 : w.requests())
        .put("currentWindowTokens", w == null ? 0 : w.tokens())
        .put("currentWindowCost", Usd.of(w == null ? 0 : w.costMicros()))
        .put("currentDailyCost", Usd.of(u.todayMicros()))
        .put("currentTotalCost", Usd.of(u.totalRatedMicros()))
        .put("weeklyOpusCost", Usd.of(u.weekOpusMicros()));
    if (w != null) {
      limits.put("windowStartTime", java.time.Instant.ofEpochMilli(w.start()).toString())
          .put("windowEndTime", java.time.Instant.ofEpochMilli(w.end()).toString())
          .put("windowRemainingSeconds", Math.max(0, (w.end() - u.now() + 999) / 1000));
    }
    return out;
  }

  private static ObjectNode body(KeyUsage u) {
    ObjectNode out = KeyJson.key(u.key());
    out.remove("bindings");
    out.remove("modelMap");
    out.setAll(KeyJson.usage(u));
    return out;
  }
}
