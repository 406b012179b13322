package dev.relaycluster.relay;

import dev.relaycluster.usage.UsageRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per finished request on the {@code relay.requests} logger, its facts as key-value pairs
 * (fields of their own in the JSON log format): request id, key, pool, dialect, account, models, status,
 * outcome, attempts, durations, tokens and cost. Nothing secret: no key material, no prompt.
 */
final class RequestLines {
  private static final Logger LOG = LoggerFactory.getLogger("relay.requests");

  private RequestLines() {}

  static void finished(RelayCall call, UsageRecord u) {
    if (call == null || !LOG.isInfoEnabled()) {
      return;
    }
    LOG.atInfo()
        .addKeyValue("requestId", u.requestId())
        .addKeyValue("keyId", u.keyId())
        .addKeyValue("keyName", call.key().name())
        .addKeyValue("pool", u.pool())
        .addKeyValue("dialect", call.dialect().id().name().toLowerCase(java.util.Locale.ROOT))
        .addKeyValue("endpoint", u.endpoint())
        .addKeyValue("accountId", u.accountId())
        .addKeyValue("model", u.model())
        .addKeyValue("servedModel", u.servedModel())
        .addKeyValue("stream", u.stream())
        .addKeyValue("status", u.status())
        .addKeyValue("outcome", u.outcome().name())
        .addKeyValue("attempts", u.attempts())
        .addKeyValue("durationMs", u.durationMs())
        .addKeyValue("firstByteMs", u.firstByteMs())
        .addKeyValue("upstreamMs", u.upstreamLatencyMs())
        .addKeyValue("inputTokens", u.inputTokens())
        .addKeyValue("outputTokens", u.outputTokens())
        .addKeyValue("costMicros", u.costMicros())
        .log("request finished");
  }
}
