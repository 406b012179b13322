package dev.relaycluster.usage;

import java.math.BigDecimal;
import java.util.List;

/** CSV (RFC 4180, CRLF line ends) of the request log and of aggregates; money in micro-dollars and in USD. */
public final class CsvExport {
  private CsvExport() {}

  public static final List<String> REQUEST_COLUMNS = List.of(
      "request_id", "time", "key_id", "account_id", "pool", "endpoint", "model", "served_model", "stream",
      "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
      "input_cost_micros", "output_cost_micros", "cache_write_cost_micros", "cache_read_cost_micros",
      "cost_micros", "cost_usd", "rated_cost_micros", "rated_cost_usd", "price_version", "price_fallback",
      "status", "outcome", "complete", "error_type", "duration_ms", "upstream_latency_ms", "first_byte_ms",
      "attempts", "client", "client_version", "session_hash", "client_dialect", "upstream_dialect");

  public static final List<String> AGGREGATE_COLUMNS = List.of(
      "period", "bucket_start", "dimension", "value", "requests", "input_tokens", "output_tokens",
      "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "cost_micros", "cost_usd",
      "rated_cost_micros", "rated_cost_usd", "errors", "cooling_errors", "failovers");

  public static String requests(List<RequestLogRow> rows) {
    StringBuilder out = new StringBuilder();
    line(out, REQUEST_COLUMNS);
    for (RequestLogRow r : rows) {
      line(out, List.of(r.requestId(), r.time(), r.keyId(), str(r.accountId()), str(r.pool()), r.endpoint(),
          str(r.model()), str(r.servedModel()), Boolean.toString(r.stream()), n(r.inputTokens()), n(r.outputTokens()),
          n(r.cacheReadTokens()), n(r.cacheWrite5mTokens()), n(r.cacheWrite1hTokens()), n(r.inputCostMicros()),
          n(r.outputCostMicros()), n(r.cacheWriteCostMicros()), n(r.cacheReadCostMicros()), n(r.costMicros()),
          usd(r.costMicros()), n(r.ratedCostMicros()), usd(r.ratedCostMicros()), str(r.priceVersion()),
          Boolean.toString(r.priceFallback()), Integer.toString(r.status()), r.outcome(), Boolean.toString(r.complete()),
          str(r.errorType()), n(r.durationMs()), n(r.upstreamLatencyMs()), n(r.firstByteMs()),
          Integer.toString(r.attempts()), str(r.client()), str(r.clientVersion()), str(r.sessionHash()),
          str(r.clientDialect()), str(r.upstreamDialect())));
    }
    return out.toString();
  }

  public static String aggregates(List<AggregateRow> rows) {
    StringBuilder out = new StringBuilder();
    line(out, AGGREGATE_COLUMNS);
    for (AggregateRow a : rows) {
      UsageTotals t = a.totals();
      line(out, List.of(a.period(), a.bucket(), a.dimension(), a.value(), n(t.requests()), n(t.inputTokens()),
          n(t.outputTokens()), n(t.cacheReadTokens()), n(t.cacheWrite5mTokens()), n(t.cacheWrite1hTokens()),
          n(t.costMicros()), usd(t.costMicros()), n(t.ratedCostMicros()), usd(t.ratedCostMicros()), n(t.errors()),
          n(t.coolingErrors()), n(t.failovers())));
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(quote(fields.get(i)));
    }
    out.append("\r\n");
  }

  static String quote(String s) {
    // A leading =, + or @ would be a formula in a spreadsheet; such fields are prefixed with '. (Not -: numbers.)
    String v = s;
    if (!v.isEmpty() && "=+@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  private static String n(long v) {
    return Long.toString(v);
  }

  private static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  private static String str(String s) {
    return s == null ? "" : s;
  }
}
