package dev.relaycluster.upstream;

import java.util.Set;

/** Which headers never cross the relay, in either direction. */
public final class HeaderPolicy {
  private HeaderPolicy() {}

  /** Hop-by-hop headers (RFC 9110 §7.6.1) and ones the HTTP layer sets itself. */
  static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
      "trailer", "trailers", "transfer-encoding", "upgrade", "host", "content-length", "content-type",
      "timeout-access", "remote-address", "raw-request-uri", "tls-session-info");

  /** Headers that reveal the client's address or the path through proxies in front of the relay. */
  static final Set<String> CLIENT_ADDRESS = Set.of(
      "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix",
      "forwarded", "x-real-ip", "x-client-ip", "true-client-ip", "cf-connecting-ip", "cf-ipcountry", "cf-ray",
      "cf-visitor", "cdn-loop", "via", "x-original-forwarded-for", "fastly-client-ip");

  /** The client's own credentials for the relay; replaced by the account's. */
  static final Set<String> CLIENT_CREDENTIALS = Set.of(
      "x-api-key", "authorization", "x-goog-api-key", "api-key", "cookie");

  /**
   * A client's W3C trace context: never passed on as the client sent it; the relay's own context goes upstream
   * instead, when tracing is on and the operator allows it ({@code relay.tracing.propagate-upstream}).
   */
  static final Set<String> TRACE_CONTEXT = Set.of("traceparent", "tracestate");

  /** Upstream response headers the client must not see: the HTTP layer's own, and the pool owner's identity. */
  static final Set<String> RESPONSE_DROPPED = Set.of(
      "date", "server", "set-cookie", "anthropic-organization-id", "alt-svc", "cf-ray", "cf-cache-status", "via");

  /** Whether the HTTP layer owns this header (hop by hop, or set from the connection and the body). */
  public static boolean hopByHop(String lowercaseName) {
    return HOP_BY_HOP.contains(lowercaseName);
  }

  public static boolean forwardToUpstream(String lowercaseName) {
    return !HOP_BY_HOP.contains(lowercaseName)
        && !CLIENT_ADDRESS.contains(lowercaseName)
        && !CLIENT_CREDENTIALS.contains(lowercaseName)
        && !TRACE_CONTEXT.contains(lowercaseName)
        && !"accept-encoding".equals(lowercaseName);
  }

  public static boolean forwardToClient(String lowercaseName) {
    return !HOP_BY_HOP.contains(lowercaseName)
        && !RESPONSE_DROPPED.contains(lowercaseName)
        && !lowercaseName.startsWith("cf-");
  }
}
