package dev.relaycluster.admin.crs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A claude-relay-service key's request-detail log ({@code usage:records:{key}}) as request-log rows (pure), without
 * counting its usage twice: CRS added each request to its day, month and all-time buckets too, which
 * {@link CrsUsageMapping} already brings in. So each request <em>replaces</em> the part of a bucket entry it
 * covers: its tokens and cost are taken out of the entry of its model and day (in CRS's time zone), else of its
 * month, else of the model's earlier entry, and the request becomes a row of its own; an entry left empty is
 * dropped. The key's totals stay what CRS counted. A request that no entry can hold (CRS's buckets and its log
 * disagree) is left out and reported, rather than added on top.
 */
final class CrsRequestMapping {
  /** Costs in CRS's records are floats; a request may exceed its bucket by this much rounding. */
  private static final long COST_SLACK_MICROS = 2;

  private CrsRequestMapping() {}

  /** The bucket entries with the requests taken out, the requests as rows, and the requests left out. */
  record Result(List<UsageRecord> entries, List<UsageRecord> requests, List<CrsSkip> skipped) {}

  static Result map(String keyId, List<String> raw, List<UsageRecord> entries, ZoneOffset zone, long now) {
    Map<String, UsageRecord> byId = new LinkedHashMap<>();
    entries.forEach(e -> byId.put(e.requestId(), e));
    List<UsageRecord> requests = new ArrayList<>();
    List<CrsSkip> skipped = new ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (String text : raw) {
      JsonNode r = Json.tryParse(text).orElse(null);
      long at = r == null ? 0 : time(r.path("timestamp").asText(""));
      if (r == null || !r.isObject() || at == 0 || r.path("model").asText("").isBlank()) {
        skipped.add(new CrsSkip("request", keyId, null, "not a readable request record: damaged"));
        continue;
      }
      UsageRecord request = request(keyId, r, Math.min(at, now - 1), text);
      if (!ids.add(request.requestId())) {
        continue;
      }
      String model = request.model();
      LocalDate day = Instant.ofEpochMilli(at).atOffset(zone).toLocalDate();
      List<String> covering = List.of(CrsUsageMapping.requestId(keyId, "day", model, day.toString()),
          CrsUsageMapping.requestId(keyId, "month", model, YearMonth.from(day).toString()),
          CrsUsageMapping.requestId(keyId, "earlier", model, ""));
      String holder = covering.stream().filter(id -> byId.containsKey(id) && holds(byId.get(id), request))
          .findFirst().orElse(null);
      if (holder == null) {
        skipped.add(new CrsSkip("request", request.requestId(), model, "its usage is not in claude-relay-service's"
            + " totals for " + day + "; left out so that nothing is counted twice"));
        continue;
      }
      UsageRecord rest = minus(byId.get(holder), request);
      if (empty(rest)) {
        byId.remove(holder);
      } else {
        byId.put(holder, rest);
      }
      requests.add(request);
    }
    requests.sort(Comparator.comparingLong(UsageRecord::startedAt));
    return new Result(List.copyOf(byId.values()), requests, skipped);
  }

  /**
   * The row's id: CRS's own request id when it is short and plain (so the two logs can be matched), else a hash,
   * since the request log's ids are at most 64 characters.
   */
  static String requestId(String keyId, String crsRequestId, String text) {
    if (crsRequestId != null && crsRequestId.matches("[A-Za-z0-9._:-]{1,48}")) {
      return "crs-req-" + crsRequestId;
    }
    return "crs-req-" + Hashing.sha256Hex(keyId + "\n" + (crsRequestId == null ? text : crsRequestId))
        .substring(0, 40);
  }

  private static UsageRecord request(String keyId, JsonNode r, long at, String text) {
    String model = r.path("model").asText().strip();
    long create = r.path("cacheCreateTokens").asLong(0);
    long w1h = Math.max(0, r.path("ephemeral1hTokens").asLong(0));
    long w5m = Math.max(0, Math.max(r.path("ephemeral5mTokens").asLong(0), create - w1h));
    long rated = micros(r.path("cost"));
    long real = r.has("realCost") ? micros(r.path("realCost")) : rated;
    int status = r.path("statusCode").asInt(200);
    String endpoint = r.path("endpoint").asText(CrsUsageMapping.ENDPOINT);
    endpoint = endpoint.isBlank() ? CrsUsageMapping.ENDPOINT : endpoint.length() > 64 ? endpoint.substring(0, 64)
        : endpoint;
    String account = r.path("accountId").asText("");
    String crsId = r.hasNonNull("requestId") ? r.get("requestId").asText() : null;
    double rate = real == 0 ? 1.0 : (double) rated / real;
    String accountId = account.isBlank() || account.length() > 64 ? null : account;
    return new UsageRecord(requestId(keyId, crsId, text), keyId, accountId, pool(r.path("accountType").asText(""),
        model), endpoint, model, model, r.path("stream").asBoolean(false),
        r.path("inputTokens").asLong(0), r.path("outputTokens").asLong(0), r.path("cacheReadTokens").asLong(0), w5m,
        w1h, 0, 0, 0, 0, real, rated, CrsUsageMapping.PRICE_VERSION, false, status,
        status >= 400 ? RequestOutcome.UPSTREAM_ERROR : RequestOutcome.COMPLETED, null, at,
        Math.max(0, r.path("durationMs").asLong(0)), 0, 1, null, null, CrsUsageMapping.ENDPOINT, null, -1, null, rate,
        null, null);
  }

  private static long micros(JsonNode n) {
    return n.isNumber() || n.isTextual() ? CrsFields.usdMicros(n.asText()) : 0;
  }

  private static long time(String v) {
    return v.isBlank() ? 0 : CrsFields.time(Map.of("t", v), "t");
  }

  /** The pool the request was served from, by CRS's account type, else by its model. */
  private static String pool(String accountType, String model) {
    String t = accountType.toLowerCase(Locale.ROOT);
    if (t.startsWith("openai") || t.startsWith("azure")) {
      return "openai";
    }
    if (t.startsWith("gemini")) {
      return "gemini";
    }
    if (t.startsWith("droid")) {
      return "droid";
    }
    return t.startsWith("claude") || t.equals("bedrock") || t.equals("ccr") ? "claude" : CrsUsageMapping.pool(model);
  }

  private static boolean holds(UsageRecord e, UsageRecord r) {
    return e.inputTokens() >= r.inputTokens() && e.outputTokens() >= r.outputTokens()
        && e.cacheReadTokens() >= r.cacheReadTokens() && e.cacheWrite5mTokens() >= r.cacheWrite5mTokens()
        && e.cacheWrite1hTokens() >= r.cacheWrite1hTokens() && e.costMicros() + COST_SLACK_MICROS >= r.costMicros()
        && e.ratedCostMicros() + COST_SLACK_MICROS >= r.ratedCostMicros();
  }

  private static UsageRecord minus(UsageRecord e, UsageRecord r) {
    long real = Math.max(0, e.costMicros() - r.costMicros());
    long rated = Math.max(0, e.ratedCostMicros() - r.ratedCostMicros());
    return new UsageRecord(e.requestId(), e.keyId(), e.accountId(), e.platform(), e.endpoint(), e.model(),
        e.servedModel(), e.stream(), e.inputTokens() - r.inputTokens(), e.outputTokens() - r.outputTokens(),
        e.cacheReadTokens() - r.cacheReadTokens(), e.cacheWrite5mTokens() - r.cacheWrite5mTokens(),
        e.cacheWrite1hTokens() - r.cacheWrite1hTokens(), 0, 0, 0, 0, real, rated, e.priceVersion(),
        e.priceFallback(), e.status(), e.outcome(), e.errorType(), e.startedAt(), e.durationMs(), e.firstByteMs(),
        e.attempts(), e.sessionHash(), e.userAgent(), e.client(), e.clientVersion(), e.upstreamLatencyMs(),
        e.accountPriceMultiplier(), real == 0 ? 1.0 : (double) rated / real, e.clientDialect(), e.upstreamDialect());
  }

  private static boolean empty(UsageRecord e) {
    return e.inputTokens() + e.outputTokens() + e.cacheReadTokens() + e.cacheWrite5mTokens() + e.cacheWrite1hTokens()
        + e.costMicros() + e.ratedCostMicros() == 0;
  }
}
