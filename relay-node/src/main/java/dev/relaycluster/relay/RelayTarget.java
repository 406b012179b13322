package dev.relaycluster.relay;

import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.upstream.UpstreamCall;
import java.util.List;

/**
 * Where one try of a request goes and how its answer comes back (ARCHITECTURE.md §1 steps 5, 7 and 8): the
 * call as the account's platform builds it, the dialect its upstream answers in (which taps the usage), and
 * the conversion of a successful answer into the client's dialect ({@link AnswerFraming#IDENTITY} when the
 * platform speaks the client's dialect). {@code description} names a conversion ("client dialect→upstream dialect"),
 * null without one; {@code notes} say what a conversion left out. {@code answeredHere}: the relay answers the
 * call itself (an estimated token count), so no platform framing applies.
 */
record RelayTarget(UpstreamCall upstreamCall, Dialect upstreamDialect, AnswerFraming conversion,
    ErrorTranslation errors, String description, List<String> notes, boolean answeredHere) {

  RelayTarget(UpstreamCall upstreamCall, Dialect upstreamDialect, AnswerFraming conversion, ErrorTranslation errors,
      String description, List<String> notes) {
    this(upstreamCall, upstreamDialect, conversion, errors, description, notes, false);
  }

  /** The call as the client sent it, answered by the relay in the client's own dialect. */
  static RelayTarget answeredHere(RelayCall call) {
    return new RelayTarget(call.upstreamCall(), call.dialect(), AnswerFraming.IDENTITY, ErrorTranslation.AS_IS, null,
        List.of(), true);
  }

  boolean converted() {
    return !conversion.identity();
  }

  /** How an upstream error body reaches the client: as it is, or re-said in the client's dialect. */
  interface ErrorTranslation {
    ErrorTranslation AS_IS = (status, body) -> null;

    /** The body in the client's dialect, or null to pass upstream's unchanged. */
    byte[] translate(int status, byte[] body);
  }
}
