package dev.relaycluster.relay;

import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.session.SessionKey;
import dev.relaycluster.upstream.UpstreamCall;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.util.ByteString;

/**
 * One authenticated, read client request on its way upstream: the client's dialect, the pool it is
 * served from, the dialect's endpoint name, what was sent, what the dialect read from it, and the model
 * upstream is asked for ({@code targetModel}: the model map's name for the one asked, the same when unmapped),
 * and the client's address ({@code clientAddress}: behind a trusted proxy the address it forwarded for; null
 * when unknown, as for a WebSocket turn).
 */
public record RelayCall(
    String requestId,
    KeyEntry key,
    Dialect dialect,
    String pool,
    String endpoint,
    String rawQuery,
    List<HttpHeader> headers,
    ContentType contentType,
    ByteString body,
    RequestView request,
    String userAgent,
    long startedAtMillis,
    long startedNanos,
    String targetModel,
    String clientAddress) {

  public RelayCall {
    targetModel = targetModel == null ? request.model() : targetModel;
  }

  /** A call from a client whose address is not known. */
  public RelayCall(String requestId, KeyEntry key, Dialect dialect, String pool, String endpoint, String rawQuery,
      List<HttpHeader> headers, ContentType contentType, ByteString body, RequestView request, String userAgent,
      long startedAtMillis, long startedNanos, String targetModel) {
    this(requestId, key, dialect, pool, endpoint, rawQuery, headers, contentType, body, request, userAgent,
        startedAtMillis, startedNanos, targetModel, null);
  }

  /** A call whose model is sent upstream as asked. */
  public RelayCall(String requestId, KeyEntry key, Dialect dialect, String pool, String endpoint, String rawQuery,
      List<HttpHeader> headers, ContentType contentType, ByteString body, RequestView request, String userAgent,
      long startedAtMillis, long startedNanos) {
    this(requestId, key, dialect, pool, endpoint, rawQuery, headers, contentType, body, request, userAgent,
        startedAtMillis, startedNanos, null, null);
  }

  public Optional<SessionKey> sessionKey() {
    return request.sessionKey();
  }

  /** The call as a platform builds its upstream request from it. */
  public UpstreamCall upstreamCall() {
    return new UpstreamCall(endpoint, rawQuery, headers, contentType, body, request);
  }

  public long elapsedMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
