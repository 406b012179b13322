package dev.relaycluster.relay;

import dev.relaycluster.usage.UsageRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per finished request on the {@code relay.requests} logger, its facts as key-value pairs
 * (fields of their own in the JSON log format): request id, key, pool, dialect, account, models, status,
 * outcome, attempts, the route its tries took ({@link RouteTrace#shortForm()}), durations, tokens and cost, and
 * the client's address (behind a trusted proxy, the one it forwarded for). Nothing secret: no key material, no
 * prompt. A fact that is not known (the route and address of a WebSocket turn) is left out.
 */
final class RequestLines {
  private static final Logger LOG = LoggerFactory.getLogger("relay.requests");

  private RequestLines() {}

  static void finished(RelayCall call, UsageRecord u, String route) {
    if (call == null || !LOG.isInfoEnabled()) {
      return;
    }
    LoggingEventBuilder line = LOG.atInfo()
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
        .addKeyValue("attempts", u.attempts());
    if (route != null) {
      line = line.addKeyValue("route", route);
    }
    line = line
        .addKeyValue("durationMs", u.durationMs())
        .addKeyValue("firstByteMs", u.firstByteMs())
        .addKeyValue("upstreamMs", u.upstreamLatencyMs())
        .addKeyValue("inputTokens", u.inputTokens())
        .addKeyValue("outputTokens", u.outputTokens())
        .addKeyValue("costMicros", u.costMicros());
    if (call.clientAddress() != null) {
      line = line.addKeyValue("client", call.clientAddress());
    }
    line.log("request finished");
  }
}
