package dev.relaycluster.usage;

import java.util.List;

/** The request log read table, written by the usage projection and read by the usage queries. */
public final class RequestLogTable {
  public static final String NAME = "relay_request_log";

  static final String[] COLUMNS = {
      "request_id", "key_id", "account_id", "platform", "endpoint", "model", "served_model", "stream",
      "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
      "input_cost_micros", "output_cost_micros", "cache_write_cost_micros", "cache_read_cost_micros",
      "cost_micros", "price_version", "price_fallback", "status", "outcome", "error_type", "started_at",
      "duration_ms", "first_byte_ms", "attempts", "session_hash", "user_agent",
      "rated_cost_micros", "client", "client_version", "upstream_latency_ms", "account_multiplier", "service_rate",
      "client_dialect", "upstream_dialect", "route"};

  private RequestLogTable() {}

  public static List<String> ddl() {
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + NAME + " ("
            + "request_id VARCHAR(64) PRIMARY KEY, "
            + "key_id VARCHAR(64) NOT NULL, "
            + "account_id VARCHAR(64), "
            + "platform VARCHAR(32) NOT NULL, "
            + "endpoint VARCHAR(64) NOT NULL, "
            + "model VARCHAR(200), "
            + "served_model VARCHAR(200), "
            + "stream BOOLEAN NOT NULL, "
            + "input_tokens BIGINT NOT NULL, "
            + "output_tokens BIGINT NOT NULL, "
            + "cache_read_tokens BIGINT NOT NULL, "
            + "cache_write_5m_tokens BIGINT NOT NULL, "
            + "cache_write_1h_tokens BIGINT NOT NULL, "
            + "input_cost_micros BIGINT NOT NULL, "
            + "output_cost_micros BIGINT NOT NULL, "
            + "cache_write_cost_micros BIGINT NOT NULL, "
            + "cache_read_cost_micros BIGINT NOT NULL, "
            + "cost_micros BIGINT NOT NULL, "
            + "price_version VARCHAR(64), "
            + "price_fallback BOOLEAN NOT NULL, "
            + "status INT NOT NULL, "
            + "outcome VARCHAR(32) NOT NULL, "
            + "error_type VARCHAR(64), "
            + "started_at BIGINT NOT NULL, "
            + "duration_ms BIGINT NOT NULL, "
            + "first_byte_ms BIGINT NOT NULL, "
            + "attempts INT NOT NULL, "
            + "session_hash VARCHAR(64), "
            + "user_agent VARCHAR(300))",
        "CREATE INDEX IF NOT EXISTS relay_request_log_key_time ON " + NAME + " (key_id, started_at)",
        // Columns added by the usage ledger (issue 7); tables made before get them with defaults.
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS rated_cost_micros BIGINT DEFAULT 0 NOT NULL",
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS client VARCHAR(64)",
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS client_version VARCHAR(64)",
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS upstream_latency_ms BIGINT DEFAULT -1 NOT NULL",
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS account_multiplier DOUBLE PRECISION DEFAULT 1 NOT NULL",
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS service_rate DOUBLE PRECISION DEFAULT 1 NOT NULL",
        // The client's and the serving platform's dialect (issue 20): null in the rows logged before.
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS client_dialect VARCHAR(24)",
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS upstream_dialect VARCHAR(24)",
        // The short form of the decision trace (issue 18): null before, and for requests refused before a try.
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS route VARCHAR(400)",
        "CREATE INDEX IF NOT EXISTS relay_request_log_time ON " + NAME + " (started_at)",
        "CREATE INDEX IF NOT EXISTS relay_request_log_account_time ON " + NAME + " (account_id, started_at)");
  }
}
