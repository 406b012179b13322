package dev.relaycluster.relay;

import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.protocol.anthropic.MessagesRequest;
import dev.relaycluster.protocol.session.SessionKey;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.util.ByteString;

/** One authenticated, parsed client request on its way upstream. */
public record RelayCall(
    String requestId,
    KeyEntry key,
    String platform,
    String endpoint,
    String upstreamPath,
    String rawQuery,
    List<HttpHeader> headers,
    ContentType contentType,
    ByteString body,
    MessagesRequest request,
    Optional<SessionKey> sessionKey,
    String userAgent,
    long startedAtMillis,
    long startedNanos) {

  public long elapsedMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
