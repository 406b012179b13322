package dev.relaycluster.relay;

/**
 * Why a request moved on to another account, as a metrics label from a small fixed set: {@code timeout},
 * {@code unreachable}, {@code credentials} (the relay could not use the account's credentials) when no answer
 * came; {@code stream_error} when the stream began with upstream's error event; else by upstream's status:
 * {@code rate_limited}, {@code overloaded}, {@code unauthorized},
 * {@code server_error}, {@code refused}.
 */
final class FailoverCause {
  private FailoverCause() {}

  static String of(UpstreamRefusal refusal) {
    int status = refusal.status();
    if (refusal.transport() && status < 300) {
      return "stream_error";
    }
    if (refusal.transport()) {
      return status == 504 ? "timeout" : status == 502 ? "unreachable" : "credentials";
    }
    if (status == 429) {
      return "rate_limited";
    }
    if (status == 529 || status == 503) {
      return "overloaded";
    }
    if (status == 401 || status == 403) {
      return "unauthorized";
    }
    return status >= 500 ? "server_error" : "refused";
  }
}
