package dev.relaycluster.relay;

/**
 * An upstream refusal of a request that may fail over: what the client gets if no further account can
 * take it. {@code answer} is upstream's own error (passed on) or the relay's words for a transport
 * failure; {@code transport}: no answer came (unreachable, timed out, unreadable credentials).
 */
record UpstreamRefusal(String accountId, int status, String errorType, RelayAnswer answer, boolean transport) {}
