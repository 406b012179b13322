package dev.relaycluster.relay;

import dev.relaycluster.protocol.usage.TokenUsage;

/**
 * An upstream refusal of a request that may fail over: what the client gets if no further account can
 * take it. {@code answer} is upstream's own error (passed on) or the relay's words for a transport
 * failure; {@code transport}: no answer came (unreachable, timed out, unreadable credentials), or it broke
 * before its first byte reached the client. {@code usage} and {@code model}: what upstream's answer showed before
 * it was refused (a stream that began with its error), recorded should the request end with this refusal.
 */
record UpstreamRefusal(String accountId, int status, String errorType, RelayAnswer answer, boolean transport,
    TokenUsage usage, String model) {

  UpstreamRefusal(String accountId, int status, String errorType, RelayAnswer answer, boolean transport) {
    this(accountId, status, errorType, answer, transport, TokenUsage.ZERO, null);
  }
}
