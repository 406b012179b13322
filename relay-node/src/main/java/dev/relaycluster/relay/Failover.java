package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.Credentials;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.account.SuccessHealth;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.metrics.RelayMetrics;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.store.CredentialDecryptionException;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.Platforms;
import dev.relaycluster.upstream.StrictEntities;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.upstream.UpstreamFailures;
import dev.relaycluster.upstream.UpstreamTimeoutException;
import dev.relaycluster.usage.RequestOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes, acquires and calls upstream (ARCHITECTURE.md §1 steps 5–7). An account that refuses the lease,
 * or whose upstream refuses the request before any byte reached the client, is excluded and the next
 * one tried ({@link FailoverPolicy}), up to {@code relay.upstream.max-account-attempts}; then the last
 * upstream refusal goes to the client. Vendor-blind: each account's {@link Platform} builds the call and
 * judges the answer.
 */
final class Failover {
  private static final Logger log = LoggerFactory.getLogger(Failover.class);

  private final Materializer materializer;
  private final PoolView pool;
  private final CredentialVault vault;
  private final UpstreamClient upstream;
  private final UsageRecords usageRecords;
  private final RelaySettings settings;
  private final Platforms platforms;
  private final AccountChoice choice;
  private final Answering answering;
  private final RelayMetrics metrics;
  private final TargetPlanner planner;
  private final EarlyBreaks earlyBreaks;

  Failover(ActorSystem<?> system, PoolView pool, LastUsedClock clock, CredentialVault vault, UpstreamClient upstream,
      UsageRecords usageRecords, RelaySettings settings, ActorRef<LeaseHolder.Command> leaseHolder,
      Platforms platforms, TargetPlanner planner) {
    this.planner = planner;
    this.materializer = Materializer.matFromSystem(system);
    this.pool = pool;
    this.vault = vault;
    this.upstream = upstream;
    this.usageRecords = usageRecords;
    this.settings = settings;
    this.platforms = platforms;
    this.choice = new AccountChoice(system, pool, clock, settings, leaseHolder, vault);
    this.answering = new Answering(system, choice, usageRecords, settings.upstream());
    this.metrics = RelayMetrics.get(system);
    this.earlyBreaks = new EarlyBreaks(materializer, pool, answering);
  }

  CompletionStage<RelayAnswer> attempt(Attempt attempt) {
    return choice.choose(attempt).thenCompose(result -> {
      if (result instanceof AccountChoice.NoneLeft none) {
        Attempt last = none.attempt();
        return done(last.last() != null ? giveUp(last, none.attempts(), last.last())
            : noAccount(last, none.attempts(), none.reason()));
      }
      AccountChoice.Chosen chosen = (AccountChoice.Chosen) result;
      if (!chosen.fromReplica()) {
        // A replica grant holds no lease: nothing for the settlement to release.
        chosen.attempt().settlement().accountAcquired(chosen.ref(), chosen.granted().leaseId());
      }
      return callUpstream(chosen.attempt(), chosen.ref(), chosen.granted(), false);
    });
  }

  private RelayAnswer noAccount(Attempt attempt, int attempts, String reason) {
    RelayCall call = attempt.call();
    attempt.settlement().settle(usageRecords.record(call, null, attempts, null, TokenUsage.ZERO, 503,
        RequestOutcome.NO_ACCOUNT, call.dialect().errorType(ErrorKind.OVERLOADED), 0));
    return new RelayAnswer.Refused(ErrorKind.OVERLOADED, "no upstream account available: " + reason);
  }

  /** No further account: the client gets the last upstream refusal as upstream sent it. */
  private RelayAnswer giveUp(Attempt attempt, int attempts, UpstreamRefusal last) {
    attempt.settlement().settle(usageRecords.record(attempt.call(), last.accountId(), attempts, last.model(),
        last.usage(), last.status(), last.transport() ? RequestOutcome.UPSTREAM_FAILED : RequestOutcome.UPSTREAM_ERROR,
        last.errorType(), 0));
    return last.answer();
  }

  private CompletionStage<RelayAnswer> callUpstream(Attempt attempt, EntityRef<AccountEntity.Command> accountRef,
      AccountEntity.Granted granted, boolean afterRefresh) {
    RelayCall call = attempt.call();
    AccountDefinition account = granted.account();
    Credential credential;
    Platform platform;
    try {
      platform = platforms.of(account.type().wireName());
      credential = Credentials.open(vault, account);
    } catch (CredentialDecryptionException | IllegalArgumentException e) {
      // Nothing was sent: pass the request to the next account (this one stays excluded for it).
      log.error("account {} credentials or proxy cannot be read: {}", account.id(), e.getMessage());
      String message = "the chosen upstream account's credentials cannot be read by this relay";
      attempt.trace().answered(null, "credentials unreadable", 0, null);
      return failOver(attempt, account.id(), new UpstreamRefusal(account.id(), 503,
          call.dialect().errorType(ErrorKind.OVERLOADED), new RelayAnswer.Refused(ErrorKind.OVERLOADED, message),
          true));
    }
    return planner.plan(call, platform).thenCompose(plan -> {
      if (plan.refused() != null) {
        // The request cannot be carried to this account's platform: the client's own request is at fault.
        attempt.settlement().releaseAccount();
        attempt.trace().answered(null, "not convertible", 0, plan.refused().message());
        attempt.settlement().settle(usageRecords.record(call, account.id(), attempt.number(), null,
            TokenUsage.ZERO, plan.refused().kind().status(), RequestOutcome.REFUSED,
            call.dialect().errorType(plan.refused().kind()), 0));
        return done(plan.refused());
      }
      return sendAndAnswer(attempt, accountRef, granted, afterRefresh, platform, credential, plan);
    })
        // A failure after upstream was reached (the body of an answer broke off, it was too large) is this
        // account's request: recorded with it, and the client gets a 502 in its dialect.
        .exceptionally(failure -> {
          Throwable cause = UpstreamFailures.unwrap(failure);
          log.warn("request {}: the answer of account {} could not be relayed: {}", call.requestId(), account.id(),
              cause.toString());
          attempt.settlement().settle(usageRecords.record(call, account.id(), attempt.number(), null,
              TokenUsage.ZERO, 502, RequestOutcome.UPSTREAM_FAILED, call.dialect().errorType(ErrorKind.API_ERROR), 0,
              0, account.priceMultiplier()));
          return new RelayAnswer.Refused(ErrorKind.BAD_GATEWAY,
              "the upstream answer broke off: " + UpstreamFailures.describe(cause));
        });
  }

  private CompletionStage<RelayAnswer> sendAndAnswer(Attempt attempt, EntityRef<AccountEntity.Command> accountRef,
      AccountEntity.Granted granted, boolean afterRefresh, Platform platform, Credential credential,
      TargetPlanner.Plan plan) {
    RelayCall call = attempt.call();
    AccountDefinition account = granted.account();
    String lease = granted.leaseId();
    String family = platform.modelFamily(call.targetModel());
    java.util.function.UnaryOperator<String> servedModels = platform.servedModels(credential);
    java.util.Optional<HttpResponse> local = plan.local() != null ? java.util.Optional.of(plan.local())
        : platform.localAnswer(plan.target().upstreamCall(), credential);
    RelayTarget target = plan.target();
    attempt.settlement().upstreamDialect(target.upstreamDialect().id().wireName());
    long sentNanos = System.nanoTime();
    CompletionStage<HttpResponse> sent = local.isPresent()
        ? java.util.concurrent.CompletableFuture.completedFuture(local.get())
        : upstream.send(withTraceContext(platform.request(target.upstreamCall(), credential),
            attempt.trace().calling(attempt.number(), account.id(), account.type().wireName())), credential.proxy());
    return sent
        .handle((response, failure) -> {
          if (failure != null) {
            attempt.upstreamWait().since(sentNanos);
            Throwable cause = UpstreamFailures.unwrap(failure);
            log.warn("request {}: upstream call to account {} failed: {}", call.requestId(), account.id(),
                cause.toString());
            boolean timeout = cause instanceof UpstreamTimeoutException || cause instanceof TimeoutException;
            ErrorKind kind = timeout ? ErrorKind.TIMEOUT : ErrorKind.BAD_GATEWAY;
            String message = timeout
                ? "upstream did not answer in time"
                : "upstream is unreachable: " + UpstreamFailures.describe(cause);
            accountRef.tell(AccountEntity.Report.of(lease, AnswerVerdict.unreachable(message), afterRefresh, family));
            pool.paces().record(account.id(), true, -1);
            attempt.trace().answered(null, timeout ? "timeout" : "unreachable", millisSince(sentNanos), null);
            UpstreamRefusal refused = new UpstreamRefusal(account.id(), kind.status(),
                call.dialect().errorType(timeout ? ErrorKind.TIMEOUT : ErrorKind.API_ERROR),
                new RelayAnswer.Refused(kind, message), true);
            return failOver(attempt, account.id(), refused);
          }
          long headersNanos = attempt.upstreamWait().since(sentNanos);
          if (local.isEmpty()) {
            metrics.upstreamLatency(call.pool(), account.type().wireName(), headersNanos - sentNanos);
          }
          int status = response.status().intValue();
          // A successful answer in the platform's own dialect framing before anything reads it.
          HttpResponse answer = status < 400 && local.isEmpty()
              ? DecodedAnswer.of(response, platform.decoding(target.upstreamCall()),
                  target.upstreamCall().view().stream(), settings.upstream().maxResponseSize())
              : response;
          if (status < 400 && local.isEmpty() && firstByteTimeout(answer) != null) {
            // A stream is held back until its first chunk comes: an account that answers headers and then
            // nothing is failed over before any byte reached the client.
            return FirstChunk.await(answer, firstByteTimeout(answer), materializer).thenCompose(peeked -> {
              attempt.upstreamWait().since(headersNanos);
              UsageTap inStream = peeked.map(p -> FirstChunk.refusal(target.upstreamDialect(), p.first()))
                  .orElse(null);
              if (inStream != null || peeked.isPresent() && FirstChunk.notAnEventStream(peeked.get().first())) {
                return failOver(attempt, account.id(), earlyBreaks.badStart(attempt, accountRef, granted,
                    afterRefresh, platform, target, peeked.get(), inStream, headersNanos, servedModels,
                    millisSince(sentNanos)));
              }
              if (peeked.isPresent()) {
                pool.paces().record(account.id(), false, millisSince(sentNanos));
                attempt.trace().answered(status, "success", millisSince(sentNanos), "answered the client");
                reportSuccess(accountRef, account.id(), lease, afterRefresh, platform.classify(status,
                    platform.healthHeaders(answer), null, System.currentTimeMillis()), family);
                return orFailOver(answering.answer(attempt, account, platform, target, peeked.get().response(),
                    headersNanos, servedModels), attempt, accountRef, account, platform);
              }
              String message = "upstream sent no byte of its answer within "
                  + settings.upstream().firstByteTimeout().toSeconds() + " s";
              log.warn("request {}: account {}: {}; failing over", call.requestId(), account.id(), message);
              accountRef.tell(AccountEntity.Report.of(lease, AnswerVerdict.unreachable(message), afterRefresh, family));
              pool.paces().record(account.id(), true, -1);
              attempt.trace().answered(status, "no first byte in time", millisSince(sentNanos), null);
              return failOver(attempt, account.id(), new UpstreamRefusal(account.id(), ErrorKind.TIMEOUT.status(),
                  call.dialect().errorType(ErrorKind.TIMEOUT), new RelayAnswer.Refused(ErrorKind.TIMEOUT, message),
                  true));
            });
          }
          if (status < 400) {
            if (local.isEmpty()) {
              pool.paces().record(account.id(), false, millisSince(sentNanos));
            }
            attempt.trace().answered(status, local.isEmpty() ? "success" : "answered by the relay",
                millisSince(sentNanos), "answered the client");
            reportSuccess(accountRef, account.id(), lease, afterRefresh,
                platform.classify(status, platform.healthHeaders(answer), null, System.currentTimeMillis()), family);
            return orFailOver(answering.answer(attempt, account, platform, target, answer, headersNanos, servedModels),
                attempt, accountRef, account, platform);
          }
          return onUpstreamError(attempt, accountRef, granted, afterRefresh, platform, target, response, sentNanos);
        })
        .thenCompose(stage -> stage);
  }

  /**
   * The answer, or when upstream's success turned out unusable before any byte reached the client (a whole
   * answer that is not JSON or broke off), the next account's.
   */
  private CompletionStage<RelayAnswer> orFailOver(CompletionStage<RelayAnswer> answer, Attempt attempt,
      EntityRef<AccountEntity.Command> accountRef, AccountDefinition account, Platform platform) {
    return answer.handle((relayed, failure) -> {
      if (failure == null) {
        return done(relayed);
      }
      if (UpstreamFailures.unwrap(failure) instanceof UnusableAnswerException unusable) {
        return failOver(attempt, account.id(), earlyBreaks.unusable(attempt, accountRef, account, platform, unusable));
      }
      return CompletableFuture.<RelayAnswer>failedFuture(failure);
    }).thenCompose(stage -> stage);
  }

  /** The first-byte timeout for a successful answer: set for event streams, null otherwise (or when off). */
  private Duration firstByteTimeout(HttpResponse response) {
    Duration timeout = settings.upstream().firstByteTimeout();
    boolean stream = response.entity().getContentType().mediaType().equals(MediaTypes.TEXT_EVENT_STREAM);
    return stream && timeout != null && !timeout.isZero() ? timeout : null;
  }

  /**
   * Most successes are no news to the account (no cooldown to end, utilisation in the same band, as this
   * node's pool view shows it): those are not sent, which saves the entity one message per request.
   */
  private void reportSuccess(EntityRef<AccountEntity.Command> accountRef, String accountId, String lease,
      boolean afterRefresh, AnswerVerdict verdict, String family) {
    boolean news = pool.find(accountId).map(entry -> SuccessHealth.isNews(entry, verdict, family)).orElse(true);
    if (news) {
      accountRef.tell(AccountEntity.Report.of(lease, verdict, afterRefresh, family));
    }
  }

  /** Upstream answered with an error status: tell the account, then retry, fail over, or pass it on. */
  private CompletionStage<RelayAnswer> onUpstreamError(Attempt attempt, EntityRef<AccountEntity.Command> accountRef,
      AccountEntity.Granted granted, boolean afterRefresh, Platform platform, RelayTarget target,
      HttpResponse response, long sentNanos) {
    RelayCall call = attempt.call();
    String accountId = granted.account().id();
    String family = platform.modelFamily(call.targetModel());
    int status = response.status().intValue();
    if (status >= 500) {
      // Upstream's own failure counts against the account's pace; a refused request (4xx) does not.
      pool.paces().record(accountId, true, -1);
    }
    long readNanos = System.nanoTime();
    return StrictEntities.of(response.entity(), settings.upstream().bodyTimeout().toMillis(),
            settings.upstream().maxResponseSize(), materializer)
        .thenCompose(strict -> {
          attempt.upstreamWait().since(readNanos);
          ByteString body = strict.getData();
          AnswerVerdict verdict = platform.classify(status, platform.healthHeaders(response), body.toArray(),
              System.currentTimeMillis());
          String errorType = call.dialect().errorType(ErrorKind.forStatus(status));
          // Upstream's error in its platform's dialect (when upstream does not speak it itself), then a converted
          // request's re-said in the client's dialect (same status, upstream's message).
          byte[] own = platform.dialectErrorBody(status, response, body.toArray());
          byte[] translated = target.errors().translate(status, own != null ? own : body.toArray());
          byte[] rewritten = translated != null ? translated : own;
          RelayAnswer passOn = new RelayAnswer.Whole(HttpResponse.create().withStatus(response.status())
              .withHeaders(platform.clientHeaders(response))
              .withEntity(rewritten == null ? HttpEntities.create(strict.getContentType(), body)
                  : HttpEntities.create(org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON, rewritten)));
          UpstreamRefusal refused = new UpstreamRefusal(accountId, status, errorType, passOn, false);
          FailoverPolicy.Step next = FailoverPolicy.afterRefusal(verdict, afterRefresh);
          attempt.trace().answered(status, verdict.answerClass().name().toLowerCase(java.util.Locale.ROOT),
              millisSince(sentNanos), next == FailoverPolicy.Step.REFRESH_AND_RETRY ? "refresh the token and retry"
                  : next == FailoverPolicy.Step.FAIL_OVER ? null : "passed to the client");
          switch (next) {
            case REFRESH_AND_RETRY -> {
              choice.forgetReplica(accountId);
              return accountRef.<AccountEntity.ReportReply>ask(
                      r -> new AccountEntity.Report(granted.leaseId(), verdict, false, r,
                          granted.account().sealedSecrets(), family), choice.refreshTimeout())
                  .exceptionally(t -> new AccountEntity.Noted())
                  .thenCompose(reply -> {
                    if (reply instanceof AccountEntity.RetryWith retry) {
                      log.info("request {}: account {} refreshed its token after a 401; retrying", call.requestId(),
                          accountId);
                      return callUpstream(attempt, accountRef,
                          new AccountEntity.Granted(granted.leaseId(), retry.account(), 0), true);
                    }
                    return failOver(attempt, accountId, refused);
                  });
            }
            case FAIL_OVER -> {
              accountRef.tell(AccountEntity.Report.of(granted.leaseId(), verdict, afterRefresh, family));
              return failOver(attempt, accountId, refused);
            }
            default -> {
              accountRef.tell(AccountEntity.Report.of(granted.leaseId(), verdict, afterRefresh, family));
              attempt.settlement().settle(usageRecords.record(call, accountId, attempt.number(), null,
                  TokenUsage.ZERO, status, RequestOutcome.UPSTREAM_ERROR, errorType, System.nanoTime()));
              return done(passOn);
            }
          }
        });
  }

  /**
   * Nothing reached the client yet: free this account and try the next one, or give the refusal back. The
   * account is no longer taken from this node's replica: what its entity makes of the refusal (a cooldown, a
   * block) reaches the pool view only after its journal write, and until then the next request asks the entity,
   * which has the report before that ask and refuses a lease under a block or a real limit.
   */
  private CompletionStage<RelayAnswer> failOver(Attempt attempt, String accountId, UpstreamRefusal refused) {
    attempt.settlement().releaseAccount();
    choice.forgetReplica(accountId);
    boolean another = FailoverPolicy.mayTryAnother(attempt.number(), settings.upstream().maxAccountAttempts());
    attempt.trace().then(another ? "failed over to the next account"
        : "no further try allowed: the refusal went to the client");
    if (!another) {
      return done(giveUp(attempt, attempt.number(), refused));
    }
    log.info("request {}: account {} refused ({}); failing over", attempt.call().requestId(), accountId,
        refused.status());
    metrics.failover(attempt.call().pool(), FailoverCause.of(refused));
    return attempt(attempt.next(accountId, refused));
  }

  /** The request to upstream with the relay's trace context, when tracing is on and allowed to pass it on. */
  private static HttpRequest withTraceContext(HttpRequest request, Map<String, String> context) {
    HttpRequest out = request;
    for (Map.Entry<String, String> e : context.entrySet()) {
      out = out.addHeader(RawHeader.create(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static CompletionStage<RelayAnswer> done(RelayAnswer answer) {
    return CompletableFuture.completedFuture(answer);
  }
}
