package dev.relaycluster.relay;

import dev.relaycluster.metrics.RelayMetrics;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Stamps a relayed answer with the time the request spent inside the relay, upstream's time excluded:
 * {@code x-relay-overhead-ms: 0.42} and {@code server-timing: relay;dur=0.42}. Measured from the moment the
 * read request reached the relay to the moment its answer (for a stream: its headers) is handed to the
 * client; the waits on upstream (headers, a stream's first chunk, a whole answer's body) are taken out.
 */
final class RelayOverhead {
  static final String HEADER = "x-relay-overhead-ms";

  private final RelayMetrics metrics;

  RelayOverhead(RelayMetrics metrics) {
    this.metrics = metrics;
  }

  RelayAnswer stamp(RelayAnswer answer, RelayCall call, long startedNanos, long upstreamNanos) {
    long nanos = Math.max(0, System.nanoTime() - startedNanos - upstreamNanos);
    metrics.relayOverhead(call.pool(), call.dialect().id().wireName(), nanos);
    String millis = millis(nanos);
    return answer.withHeader(RawHeader.create(HEADER, millis))
        .withHeader(RawHeader.create("server-timing", "relay;dur=" + millis));
  }

  /**
   * {@code nanos} as milliseconds with two decimals, rounded half up ({@code 0.42}, {@code 12.05}): what
   * {@code String.format("%.2f")} writes, without a formatter per request.
   */
  static String millis(long nanos) {
    long hundredths = (nanos + 5_000) / 10_000;
    long fraction = hundredths % 100;
    return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }
}
