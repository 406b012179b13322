package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.usage.AccountSummary;
import dev.relaycluster.usage.AggregateRow;
import dev.relaycluster.usage.Dimension;
import dev.relaycluster.usage.LedgerMaintenance;
import dev.relaycluster.usage.Period;
import dev.relaycluster.usage.PriceBook;
import dev.relaycluster.usage.RepriceResult;
import dev.relaycluster.usage.RequestPage;
import dev.relaycluster.usage.RequestQuery;
import dev.relaycluster.usage.UsageQueries;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The usage views for the admin API: checks the query parameters (any bad one fails the call with an
 * {@link AdminInputException} before anything is read or written) and runs the query or action.
 * Times are ISO-8601 instants ({@code 2026-11-22T10:00:00Z}), offset date-times, local dates or local
 * date-times (both read in the ledger's zone), or epoch milliseconds.
 */
public final class UsageAdmin {
  public static final int MAX_PAGE = 1000;
  public static final int MAX_CSV_ROWS = 100_000;

  private final UsageQueries queries;
  private final LedgerMaintenance maintenance;
  private final PriceBook prices;
  private final ZoneId zone;
  private final int topN;

  public UsageAdmin(UsageQueries queries, LedgerMaintenance maintenance, PriceBook prices, ZoneId zone, int topN) {
    this.queries = queries;
    this.maintenance = maintenance;
    this.prices = prices;
    this.zone = zone;
    this.topN = topN;
  }

  public ZoneId zone() {
    return zone;
  }


  /** A page of the request log; {@code csv} allows pages of up to {@link #MAX_CSV_ROWS} rows. */
  public CompletionStage<RequestPage> requests(Map<String, String> p, boolean csv) {
    return checked(() -> {
      int max = csv ? MAX_CSV_ROWS : MAX_PAGE;
      Long from = time(p, "from");
      Long to = time(p, "to");
      range(from, to);
      Integer status = p.containsKey("status") ? integer(p, "status", 100, 599) : null;
      int limit = p.containsKey("limit") ? integer(p, "limit", 1, max) : csv ? max : 50;
      int offset = p.containsKey("offset") ? integer(p, "offset", 0, Integer.MAX_VALUE) : 0;
      return queries.requests(new RequestQuery(text(p, "keyId"), text(p, "accountId"), text(p, "model"), status,
          from, to, limit, offset));
    });
  }

  /** Aggregate rows: {@code period} (hour/day/month), {@code by} (key/account/model/pool), {@code from}, {@code to}. */
  public CompletionStage<List<AggregateRow>> aggregates(Map<String, String> p) {
    return checked(() -> {
      Period period = Period.parse(p.getOrDefault("period", "day"))
          .orElseThrow(() -> AdminInputException.invalid("period: must be hour, day or month"));
      Dimension by = Dimension.parse(p.getOrDefault("by", "key"))
          .orElseThrow(() -> AdminInputException.invalid("by: must be key, account, model or pool"));
      long now = System.currentTimeMillis();
      Long from = time(p, "from");
      Long to = time(p, "to");
      long start = from != null ? from : Period.MONTH.bucketStart(now, zone);
      long end = to != null ? to : period.nextBucketStart(period.bucketStart(now, zone), zone);
      range(start, end);
      return queries.aggregates(period, by, start, end, text(p, "value"));
    });
  }

  /** Per-account summary over [from, to) (default: this month). */
  public CompletionStage<List<AccountSummary>> accounts(Map<String, String> p) {
    return checked(() -> {
      long now = System.currentTimeMillis();
      Long from = time(p, "from");
      Long to = time(p, "to");
      long start = from != null ? from : Period.MONTH.bucketStart(now, zone);
      long end = to != null ? to : Period.MONTH.nextBucketStart(Period.MONTH.bucketStart(now, zone), zone);
      range(start, end);
      return queries.accountSummaries(start, end);
    });
  }

  public CompletionStage<Map<String, Object>> dashboard() {
    return queries.dashboard(System.currentTimeMillis(), topN).thenApply(w -> Map.of(
        "zone", zone.getId(), "priceVersion", prices.current().version(), "today", w.get(0), "month", w.get(1)));
  }

  /** Re-prices {"from", "to"} (both required) with the current table. */
  public CompletionStage<RepriceResult> reprice(JsonNode body) {
    return checked(() -> {
      Long from = time(body.path("from").isMissingNode() ? null : body.path("from").asText(null), "from");
      Long to = time(body.path("to").isMissingNode() ? null : body.path("to").asText(null), "to");
      if (from == null || to == null) {
        throw AdminInputException.invalid("from and to are required");
      }
      range(from, to);
      String problem = prices.reloadIfChanged();
      if (problem != null) {
        throw AdminInputException.invalid("the price override file is broken (" + problem
            + "); fix it before re-pricing");
      }
      return maintenance.reprice(from, to).exceptionally(t -> {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause() : t;
        if (cause instanceof IllegalArgumentException e) {
          throw AdminInputException.invalid(e.getMessage());
        }
        throw t instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(t);
      });
    });
  }

  public CompletionStage<Map<String, Object>> rebuild() {
    return maintenance.rebuild();
  }

  public Map<String, Object> prices() {
    var table = prices.current();
    return Map.of("version", table.version(), "models", table.size(),
        "overrideFile", prices.overrideFile() == null ? "" : prices.overrideFile().toString(),
        "fallbackModel", prices.fallbackModel());
  }

  private interface Query<T> {
    CompletionStage<T> run();
  }

  private static <T> CompletionStage<T> checked(Query<T> q) {
    try {
      return q.run();
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void range(Long from, Long to) {
    if (from != null && to != null && from >= to) {
      throw AdminInputException.invalid("from must be before to");
    }
  }

  private static String text(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null) {
      return null;
    }
    if (v.isBlank() || v.length() > 200) {
      throw AdminInputException.invalid(name + ": must be 1 to 200 characters");
    }
    return v;
  }

  private static int integer(Map<String, String> p, String name, int min, int max) {
    try {
      int v = Integer.parseInt(p.get(name).strip());
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw AdminInputException.invalid(name + ": must be an integer from " + min + " to " + max);
    }
  }

  private Long time(Map<String, String> p, String name) {
    return time(p.get(name), name);
  }

  private Long time(String v, String name) {
    if (v == null) {
      return null;
    }
    String s = v.strip();
    try {
      if (s.matches("\\d{1,15}")) {
        return Long.parseLong(s);
      }
      if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(s).atStartOfDay(zone).toInstant().toEpochMilli();
      }
      if (s.endsWith("Z") || s.endsWith("z")) {
        return Instant.parse(s.toUpperCase(java.util.Locale.ROOT)).toEpochMilli();
      }
      if (s.matches(".*[+-]\\d{2}:\\d{2}$")) {
        return OffsetDateTime.parse(s).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(s).atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      throw AdminInputException.invalid(name + ": not a time (use e.g. 2026-11-22, 2026-11-22T10:00:00Z or epoch "
          + "milliseconds)");
    }
  }
}
