package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.upstream.Platform;
import java.util.function.UnaryOperator;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream answered with a success status but broke before any byte reached the client: its stream began with
 * its own error event or was no event stream at all, or a whole answer could not be used
 * ({@link UnusableAnswerException}). The account is told, upstream is no longer read, and {@link Failover} takes
 * the refusal made here to the next account; should none take it, the client gets what upstream sent (the stream
 * with its error event) or a 502 for a whole answer, and the request is recorded with what the stream showed.
 */
final class EarlyBreaks {
  private static final Logger log = LoggerFactory.getLogger(EarlyBreaks.class);

  private final Materializer materializer;
  private final PoolView pool;
  private final Answering answering;

  EarlyBreaks(Materializer materializer, PoolView pool, Answering answering) {
    this.materializer = materializer;
    this.pool = pool;
    this.answering = answering;
  }

  /**
   * The stream's first chunk is upstream's error event ({@link FirstChunk#refusal}: {@code tap} read it), or no
   * event stream at all ({@link FirstChunk#notAnEventStream}: {@code tap} is null).
   */
  UpstreamRefusal badStart(Attempt attempt, EntityRef<AccountEntity.Command> accountRef, AccountEntity.Granted granted,
      boolean afterRefresh, Platform platform, RelayTarget target, FirstChunk.Peeked peeked, UsageTap tap,
      long headersNanos, UnaryOperator<String> servedModels, long millis) {
    RelayCall call = attempt.call();
    AccountDefinition account = granted.account();
    int status = peeked.response().status().intValue();
    String errorType = tap != null ? tap.errorType() : call.dialect().errorType(ErrorKind.API_ERROR);
    String message = tap != null ? "upstream's stream began with an error (" + errorType + ")"
        : "upstream's answer is not the event stream it announced";
    log.warn("request {}: account {}: {}; failing over", call.requestId(), account.id(), message);
    peeked.cancelRest(materializer);
    AnswerVerdict verdict = tap == null ? null
        : platform.classifyStreamError(errorType, tap.errorJson(), System.currentTimeMillis());
    accountRef.tell(AccountEntity.Report.of(granted.leaseId(), verdict != null ? verdict
        : AnswerVerdict.unreachable(message), afterRefresh, platform.modelFamily(call.targetModel())));
    pool.paces().record(account.id(), true, -1);
    attempt.trace().answered(status, tap != null ? "error event first" : "not an event stream", millis, null);
    // What the first chunk showed (a message_start's input tokens) is recorded should the request end here.
    TokenUsage seen = tap != null ? tap.usage() : TokenUsage.ZERO;
    String model = tap != null && tap.model() != null ? servedModels.apply(tap.model()) : null;
    if (!call.request().stream()) {
      return new UpstreamRefusal(account.id(), 502, errorType, new RelayAnswer.Refused(ErrorKind.BAD_GATEWAY,
          "the upstream stream ended without a complete answer (" + errorType + ")"), true, seen, model);
    }
    // Only the first chunk is passed on should no other account take the request: it ends with the dialect's
    // error event (an upstream error, or a stream without its final event), as it would have without failover.
    HttpResponse sent = peeked.response().withEntity(HttpEntities.createChunked(
        peeked.response().entity().getContentType(), Source.single(peeked.first())));
    return new UpstreamRefusal(account.id(), status, errorType,
        answering.unsettledStream(attempt, account, platform, target, sent, headersNanos, servedModels), true, seen,
        model);
  }

  /** A whole answer (or a stream added up into one) that cannot be used; its success was told already. */
  UpstreamRefusal unusable(Attempt attempt, EntityRef<AccountEntity.Command> accountRef, AccountDefinition account,
      Platform platform, UnusableAnswerException e) {
    RelayCall call = attempt.call();
    log.warn("request {}: account {}: {}; failing over", call.requestId(), account.id(), e.getMessage());
    // Upstream's own error (a usage limit, an overload) says how long to spare the account; a broken body does not.
    AnswerVerdict verdict = e.errorJson() == null ? null
        : platform.classifyStreamError(e.errorType(), e.errorJson(), System.currentTimeMillis());
    accountRef.tell(AccountEntity.Report.of(null, verdict != null ? verdict : AnswerVerdict.unreachable(e.getMessage()),
        false, platform.modelFamily(call.targetModel())));
    pool.paces().record(account.id(), true, -1);
    attempt.trace().then(e.getMessage());
    return new UpstreamRefusal(account.id(), 502, e.errorType(),
        new RelayAnswer.Refused(ErrorKind.BAD_GATEWAY, e.getMessage()), true);
  }
}
