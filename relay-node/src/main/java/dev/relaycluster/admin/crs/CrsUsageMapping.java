package dev.relaycluster.admin.crs;

import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A claude-relay-service key's usage history as imported ledger entries (pure): one per model per day CRS still
 * keeps (32 days), one per model per older month for what the months hold beyond those days (365 days), one per
 * model for what its all-time totals hold beyond those, and one for any rest of the key's all-time cost, so the key's cost total here equals CRS's. Each entry is marked
 * imported (price version {@code imported:crs}; re-pricing leaves it alone) and counts as one request. Entries
 * are dated at noon of their day (or the month's first day) in CRS's time zone, never after {@code now}.
 */
final class CrsUsageMapping {
  static final String PRICE_VERSION = UsageRecord.IMPORTED_PREFIX + "crs";
  static final String ENDPOINT = "crs-import";
  static final String EARLIER_MODEL = "crs-earlier-usage";

  private CrsUsageMapping() {}

  private record Sums(long input, long output, long cacheRead, long write5m, long write1h, long real, long rated) {
    static final Sums ZERO = new Sums(0, 0, 0, 0, 0, 0, 0);

    static Sums of(Map<String, String> f) {
      long create = CrsFields.integer(f, "cacheCreateTokens", 0);
      long w1h = Math.max(0, CrsFields.integer(f, "ephemeral1hTokens", 0));
      long w5m = Math.max(CrsFields.integer(f, "ephemeral5mTokens", 0), create - w1h);
      long real = CrsFields.integer(f, "realCostMicro", 0);
      long rated = CrsFields.integer(f, "ratedCostMicro", 0);
      return new Sums(CrsFields.integer(f, "inputTokens", 0), CrsFields.integer(f, "outputTokens", 0),
          CrsFields.integer(f, "cacheReadTokens", 0), Math.max(0, w5m), w1h, real > 0 ? real : rated,
          rated > 0 ? rated : real);
    }

    Sums plus(Sums o) {
      return new Sums(input + o.input, output + o.output, cacheRead + o.cacheRead, write5m + o.write5m,
          write1h + o.write1h, real + o.real, rated + o.rated);
    }

    Sums minus(Sums o) {
      return new Sums(Math.max(0, input - o.input), Math.max(0, output - o.output), Math.max(0, cacheRead - o.cacheRead),
          Math.max(0, write5m - o.write5m), Math.max(0, write1h - o.write1h), Math.max(0, real - o.real),
          Math.max(0, rated - o.rated));
    }

    boolean empty() {
      return input + output + cacheRead + write5m + write1h + real + rated == 0;
    }
  }

  static List<UsageRecord> map(String keyId, CrsData.CrsKeyUsage usage, long keyCreatedAt, ZoneOffset zone,
      long now) {
    List<UsageRecord> out = new ArrayList<>();
    Map<String, Sums> dailyByModelMonth = new HashMap<>();
    for (CrsData.CrsKeyUsage.Bucket b : usage.buckets()) {
      if (!b.daily()) {
        continue;
      }
      LocalDate day;
      try {
        day = LocalDate.parse(b.period());
      } catch (DateTimeParseException e) {
        continue;
      }
      Sums s = Sums.of(b.fields());
      dailyByModelMonth.merge(b.model() + "|" + YearMonth.from(day), s, Sums::plus);
      if (!s.empty()) {
        out.add(record(requestId(keyId, "day", b.model(), b.period()), keyId, b.model(), s,
            Math.min(now - 1, day.atTime(LocalTime.NOON).toInstant(zone).toEpochMilli())));
      }
    }
    Map<String, Sums> byModel = new HashMap<>();
    for (CrsData.CrsKeyUsage.Bucket b : usage.buckets()) {
      if (b.daily()) {
        byModel.merge(b.model(), Sums.of(b.fields()), Sums::plus);
      }
    }
    for (CrsData.CrsKeyUsage.Bucket b : usage.buckets()) {
      if (!b.kind().equals("monthly")) {
        continue;
      }
      YearMonth month;
      try {
        month = YearMonth.parse(b.period());
      } catch (DateTimeParseException e) {
        continue;
      }
      Sums rest = Sums.of(b.fields()).minus(dailyByModelMonth.getOrDefault(b.model() + "|" + month, Sums.ZERO));
      if (!rest.empty()) {
        byModel.merge(b.model(), rest, Sums::plus);
        out.add(record(requestId(keyId, "month", b.model(), b.period()), keyId, b.model(), rest,
            Math.min(now - 1, month.atDay(1).atTime(LocalTime.NOON).toInstant(zone).toEpochMilli())));
      }
    }
    long earliest = out.stream().mapToLong(UsageRecord::startedAt).min().orElse(now);
    long before = Math.min(Math.min(keyCreatedAt, earliest - 1), now - 1);
    for (CrsData.CrsKeyUsage.Bucket b : usage.buckets()) {
      if (!b.kind().equals("alltime")) {
        continue;
      }
      // What a model's all-time totals hold beyond the months kept: older than a year.
      Sums rest = Sums.of(b.fields()).minus(byModel.getOrDefault(b.model(), Sums.ZERO));
      if (!rest.empty()) {
        out.add(record(requestId(keyId, "earlier", b.model(), ""), keyId, b.model(), rest, before));
      }
    }
    long rated = out.stream().mapToLong(UsageRecord::ratedCostMicros).sum();
    long real = out.stream().mapToLong(UsageRecord::costMicros).sum();
    long ratedTotal = CrsFields.usdMicros(Double.toString(usage.ratedTotal()));
    long realTotal = CrsFields.usdMicros(Double.toString(usage.realTotal()));
    // Rounding in CRS's float totals is a micro-dollar or so; only more is usage its buckets no longer hold.
    if (ratedTotal > rated + 5) {
      long restRated = ratedTotal - rated;
      long restReal = realTotal > real ? realTotal - real : restRated;
      out.add(record(requestId(keyId, "earlier", "", ""), keyId, EARLIER_MODEL,
          new Sums(0, 0, 0, 0, 0, restReal, restRated), before));
    }
    out.sort(Comparator.comparingLong(UsageRecord::startedAt));
    return out;
  }

  /**
   * A fixed request id for one bucket of one key, so a key records it once however often the import runs; a
   * hash, since the ledger's ids are at most 64 characters and model names are long.
   */
  static String requestId(String keyId, String kind, String model, String period) {
    return "crs-" + dev.relaycluster.protocol.util.Hashing.sha256Hex(keyId + "\n" + kind + "\n" + model + "\n" + period)
        .substring(0, 40);
  }

  private static UsageRecord record(String requestId, String keyId, String model, Sums s, long at) {
    double rate = s.real == 0 ? 1.0 : (double) s.rated / s.real;
    return new UsageRecord(requestId, keyId, null, pool(model), ENDPOINT, model, model, false, s.input, s.output,
        s.cacheRead, s.write5m, s.write1h, 0, 0, 0, 0, s.real, s.rated, PRICE_VERSION, false, 200,
        RequestOutcome.COMPLETED, null, at, 0, 0, 1, null, null, ENDPOINT, null, -1, null, rate, null, null);
  }

  /** The pool a model most likely came from, for the dashboards. */
  static String pool(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    if (m.contains("gemini")) {
      return "gemini";
    }
    if (m.startsWith("gpt") || m.contains("codex") || m.matches("^o\\d.*")) {
      return "openai";
    }
    return "claude";
  }
}
