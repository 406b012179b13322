package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.account.SuccessHealth;
import dev.relaycluster.apikey.Admission;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.Refusal;
import dev.relaycluster.apikey.RequestFacts;
import dev.relaycluster.apikey.StaticPolicy;
import dev.relaycluster.http.AnthropicErrorResponses;
import dev.relaycluster.http.StrictEntities;
import dev.relaycluster.node.LeaseBook;
import dev.relaycluster.node.LeaseHolder;
import dev.relaycluster.node.NodeDrain;
import dev.relaycluster.node.RelaySettings;
import dev.relaycluster.protocol.anthropic.AnthropicErrors;
import dev.relaycluster.protocol.anthropic.AnthropicUsage;
import dev.relaycluster.protocol.anthropic.AnthropicUsageTap;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.ratelimit.UpstreamAnswers;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.scheduling.Demand;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.scheduling.Scheduler;
import dev.relaycluster.session.SessionEntity;
import dev.relaycluster.store.CredentialDecryptionException;
import dev.relaycluster.upstream.ClaudePlatform;
import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.upstream.UpstreamFailures;
import dev.relaycluster.upstream.UpstreamTimeoutException;
import dev.relaycluster.usage.RequestOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path of ARCHITECTURE.md §1 from admission on: admit on the key's entity, route through
 * the session, acquire the account, call upstream, pass the answer through (streamed byte for byte
 * with the usage tap, or whole), and settle usage and leases exactly once however the request ends.
 */
public final class MessagesRelay {
  private static final Logger log = LoggerFactory.getLogger(MessagesRelay.class);
  private static final java.time.Duration UNSTARTED_STREAM_GRACE = java.time.Duration.ofSeconds(30);
  /** Carried by every answer to an admitted request: the id its usage record is filed under. */
  public static final String REQUEST_ID_HEADER = "x-relay-request-id";

  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final ClusterSharding sharding;
  private final PoolView pool;
  private final LastUsedClock clock;
  private final CredentialVault vault;
  private final UpstreamClient upstream;
  private final UsageRecords usageRecords;
  private final RelaySettings settings;
  private final ActorRef<LeaseHolder.Command> leaseHolder;
  private final LeaseBook leaseBook;
  private final NodeDrain drain;

  public MessagesRelay(ActorSystem<?> system, PoolView pool, LastUsedClock clock, CredentialVault vault,
      UpstreamClient upstream, UsageRecords usageRecords, RelaySettings settings,
      ActorRef<LeaseHolder.Command> leaseHolder, LeaseBook leaseBook) {
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.sharding = ClusterSharding.get(system);
    this.pool = pool;
    this.clock = clock;
    this.vault = vault;
    this.upstream = upstream;
    this.usageRecords = usageRecords;
    this.settings = settings;
    this.leaseHolder = leaseHolder;
    this.leaseBook = leaseBook;
    this.drain = NodeDrain.get(system);
  }

  /**
   * Relays one call; the returned response is never a failed stage. {@code facts} are what the key's
   * policy and limits judge the request by.
   */
  public CompletionStage<HttpResponse> relay(RelayCall call, RequestFacts facts) {
    EntityRef<ApiKeyEntity.Command> key = sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, call.key().id());
    drain.started();
    // Step 2, static policy: from this node's replica of the key, no hop.
    java.util.Optional<Admission.Refuse> policy = StaticPolicy.check(call.key(), facts, System.currentTimeMillis());
    if (policy.isPresent()) {
      Admission.Refuse r = policy.get();
      return CompletableFuture.completedFuture(
          refusal(call, key, new ApiKeyEntity.Refused(r.refusal(), r.message(), r.retryAfterSeconds(), r.resetAt())));
    }
    // The key lease is named after the request, so that it can be released even if this ask times out.
    String keyLease = call.requestId();
    return key.<ApiKeyEntity.AdmitReply>ask(r -> new ApiKeyEntity.Admit(keyLease, leaseHolder, facts, r),
            settings.http().askTimeout())
        .thenCompose(reply -> {
          if (reply instanceof ApiKeyEntity.Refused refused) {
            return CompletableFuture.completedFuture(refusal(call, key, refused));
          }
          Settlement settlement = new Settlement(key, ((ApiKeyEntity.Admitted) reply).leaseId(), leaseBook,
              settings.http().askTimeout(), system.scheduler(), system.executionContext(), drain::finished);
          return attempt(call, settlement, Set.of(), 1).exceptionally(failure -> {
            log.error("request {} failed inside the relay", call.requestId(), unwrap(failure));
            settlement.settle(usageRecords.record(call, null, 1, null, TokenUsage.ZERO, 500,
                RequestOutcome.UPSTREAM_FAILED, "api_error", 0));
            return AnthropicErrorResponses.of(500, "internal relay error (request " + call.requestId() + ")");
          }).thenApply(response -> response.addHeader(RawHeader.create(REQUEST_ID_HEADER, call.requestId())));
        })
        .exceptionally(failure -> {
          drain.finished();
          key.tell(new ApiKeyEntity.Release(keyLease));
          log.warn("request {} could not be admitted: {}", call.requestId(), unwrap(failure).toString());
          return AnthropicErrorResponses.of(503, "overloaded_error",
              "the relay could not admit the request in time; retry shortly");
        });
  }

  /**
   * The refusal in the client's dialect: 429 + retry-after for windows and concurrency, 402 with the reset
   * time for cost limits, 403 for policy rules, 401 for keys that cannot be used. A refusal of a known key
   * is part of its ledger: recorded once by request id, with no tokens.
   */
  private HttpResponse refusal(RelayCall call, EntityRef<ApiKeyEntity.Command> key, ApiKeyEntity.Refused refused) {
    int status = refused.refusal().status();
    String type = AnthropicErrors.typeForStatus(status);
    if (refused.refusal() == Refusal.UNKNOWN_KEY) {
      drain.finished();
    } else {
      new Settlement(key, call.requestId(), leaseBook, settings.http().askTimeout(), system.scheduler(),
          system.executionContext(), drain::finished)
          .settle(usageRecords.record(call, null, 0, null, TokenUsage.ZERO, status, RequestOutcome.REFUSED, type, 0));
    }
    HttpResponse response = refused.retryAfterSeconds() > 0
        ? AnthropicErrorResponses.withRetryAfter(status, refused.message(), refused.retryAfterSeconds())
        : AnthropicErrorResponses.of(status, refused.message());
    if (refused.resetAt() > 0) {
      response = response.addHeader(RawHeader.create("x-relay-limit-reset",
          java.time.Instant.ofEpochMilli(refused.resetAt()).toString()));
    }
    return response.addHeader(RawHeader.create(REQUEST_ID_HEADER, call.requestId()));
  }

  /**
   * The last upstream refusal of a request that failed over: what the client gets if no further account
   * can take it. {@code response} is upstream's own error (status, headers, Anthropic error body).
   */
  private record UpstreamRefusal(String accountId, int status, String errorType, HttpResponse response,
      boolean transport) {}

  private CompletionStage<HttpResponse> attempt(RelayCall call, Settlement settlement, Set<String> excluded, int n) {
    return attempt(call, settlement, excluded, n, null);
  }

  /**
   * Routes, acquires and calls upstream. An account that refuses the lease, or whose upstream refuses the
   * request before any byte reached the client, is excluded and the next one tried, up to
   * {@code relay.upstream.max-account-attempts}; then the last upstream refusal goes to the client.
   */
  private CompletionStage<HttpResponse> attempt(RelayCall call, Settlement settlement, Set<String> excluded, int n,
      UpstreamRefusal last) {
    return route(call, excluded).thenCompose(routed -> {
      if (routed instanceof SessionEntity.NoAccount none) {
        return CompletableFuture.completedFuture(last != null ? giveUp(call, settlement, n - 1, last)
            : noAccount(call, settlement, n - 1, none.reason()));
      }
      String accountId = ((SessionEntity.Routed) routed).accountId();
      EntityRef<AccountEntity.Command> account = sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, accountId);
      String accountLease = call.requestId() + "/" + n;
      return account.<AccountEntity.AcquireReply>ask(r -> new AccountEntity.Acquire(accountLease, leaseHolder, r),
              acquireTimeout(accountId))
          // An account whose entity does not answer (its node just died) is passed over like a busy one,
          // and told to drop the lease in case it granted it after all.
          .exceptionally(t -> {
            account.tell(new AccountEntity.Release(accountLease));
            return new AccountEntity.Unavailable("account did not answer in time");
          })
          .thenCompose(acquired -> {
            if (acquired instanceof AccountEntity.Unavailable unavailable) {
              Set<String> next = new HashSet<>(excluded);
              next.add(accountId);
              if (n >= settings.upstream().maxAccountAttempts()) {
                return CompletableFuture.completedFuture(last != null ? giveUp(call, settlement, n, last)
                    : noAccount(call, settlement, n,
                        "no account could take the request after " + n + " attempts (last: " + unavailable.reason() + ")"));
              }
              return attempt(call, settlement, Set.copyOf(next), n + 1, last);
            }
            AccountEntity.Granted granted = (AccountEntity.Granted) acquired;
            settlement.accountAcquired(account, granted.leaseId());
            clock.markUsed(accountId, System.currentTimeMillis());
            return callUpstream(call, settlement, account, granted, excluded, n, false);
          });
    });
  }

  /** The hop to an OAuth account may wait for a token refresh inside its entity. */
  private java.time.Duration acquireTimeout(String accountId) {
    boolean oauth = pool.find(accountId).map(a -> a.type() == dev.relaycluster.account.AccountType.CLAUDE_OAUTH)
        .orElse(false);
    return oauth ? refreshTimeout() : settings.http().askTimeout();
  }

  private java.time.Duration refreshTimeout() {
    return settings.http().askTimeout().plus(settings.accounts().oauth().timeout());
  }

  private Demand demand(RelayCall call) {
    String model = call.request() == null ? null : call.request().model();
    return new Demand(call.platform(), model, call.key().binding(call.platform()));
  }

  private CompletionStage<SessionEntity.RouteReply> route(RelayCall call, Set<String> excluded) {
    if (call.sessionKey().isPresent()) {
      String sessionId = call.platform() + ":"
          + Hashing.sha256Hex(call.key().id() + "\n" + call.sessionKey().get().value()).substring(0, 32);
      EntityRef<SessionEntity.Command> session = sharding.entityRefFor(SessionEntity.ENTITY_TYPE_KEY, sessionId);
      // If the session's entity does not answer (its node just died), route this request without stickiness.
      return session.<SessionEntity.RouteReply>ask(r -> new SessionEntity.Route(demand(call), excluded, r),
              settings.http().askTimeout())
          .exceptionally(t -> pickWithoutSession(call, excluded));
    }
    return CompletableFuture.completedFuture(pickWithoutSession(call, excluded));
  }

  private SessionEntity.RouteReply pickWithoutSession(RelayCall call, Set<String> excluded) {
    long now = System.currentTimeMillis();
    Demand demand = demand(call);
    return Scheduler.pick(pool.accounts(), demand, excluded, now, settings.accounts().maxCoolingShare(),
            clock::lastUsedAt)
        .<SessionEntity.RouteReply>map(a -> new SessionEntity.Routed(a.id(), false))
        .orElseGet(() -> new SessionEntity.NoAccount(Scheduler.whyNone(pool.accounts(), demand, excluded, now)));
  }

  private HttpResponse noAccount(RelayCall call, Settlement settlement, int attempts, String reason) {
    settlement.settle(usageRecords.record(call, null, attempts, null, TokenUsage.ZERO, 503,
        RequestOutcome.NO_ACCOUNT, "overloaded_error", 0));
    return AnthropicErrorResponses.of(503, "overloaded_error", "no upstream account available: " + reason);
  }

  /** No further account: the client gets the last upstream refusal as upstream sent it. */
  private HttpResponse giveUp(RelayCall call, Settlement settlement, int attempts, UpstreamRefusal last) {
    settlement.settle(usageRecords.record(call, last.accountId(), attempts, null, TokenUsage.ZERO, last.status(),
        last.transport() ? RequestOutcome.UPSTREAM_FAILED : RequestOutcome.UPSTREAM_ERROR,
        last.errorType(), 0));
    return last.response();
  }

  private CompletionStage<HttpResponse> callUpstream(RelayCall call, Settlement settlement,
      EntityRef<AccountEntity.Command> accountRef, AccountEntity.Granted granted, Set<String> excluded, int attempts,
      boolean afterRefresh) {
    AccountDefinition account = granted.account();
    AccountSecrets secrets;
    ProxySpec proxy;
    try {
      secrets = vault.open(account.id(), account.sealedSecrets());
      proxy = secrets.proxyUrl() == null ? null : ProxySpec.parse(secrets.proxyUrl());
    } catch (CredentialDecryptionException | IllegalArgumentException e) {
      // Nothing was sent: pass the request to the next account (this one stays excluded for it).
      log.error("account {} credentials or proxy cannot be read: {}", account.id(), e.getMessage());
      return failOver(call, settlement, excluded, attempts, account.id(), new UpstreamRefusal(account.id(), 503,
          "overloaded_error", AnthropicErrorResponses.of(503, "overloaded_error",
              "the chosen upstream account's credentials cannot be read by this relay"), true));
    }
    return sendAndAnswer(call, settlement, accountRef, granted, excluded, attempts, afterRefresh, secrets, proxy)
        // A failure after upstream was reached (the body of an answer broke off, it was too large) is this
        // account's request: recorded with it, and the client gets a 502 in its dialect.
        .exceptionally(failure -> {
          Throwable cause = unwrap(failure);
          log.warn("request {}: the answer of account {} could not be relayed: {}", call.requestId(), account.id(),
              cause.toString());
          settlement.settle(usageRecords.record(call, account.id(), attempts, null, TokenUsage.ZERO, 502,
              RequestOutcome.UPSTREAM_FAILED, "api_error", 0, 0, account.priceMultiplier()));
          return AnthropicErrorResponses.of(502, "the upstream answer broke off: " + UpstreamFailures.describe(cause));
        });
  }

  private CompletionStage<HttpResponse> sendAndAnswer(RelayCall call, Settlement settlement,
      EntityRef<AccountEntity.Command> accountRef, AccountEntity.Granted granted, Set<String> excluded, int attempts,
      boolean afterRefresh, AccountSecrets secrets, ProxySpec proxy) {
    AccountDefinition account = granted.account();
    String lease = granted.leaseId();
    HttpRequest request = ClaudePlatform.request(account, secrets, call.upstreamPath(), call.rawQuery(),
        call.headers(), call.contentType(), call.body());
    return upstream.send(request, proxy)
        .handle((response, failure) -> {
          if (failure != null) {
            Throwable cause = unwrap(failure);
            log.warn("request {}: upstream call to account {} failed: {}", call.requestId(), account.id(),
                cause.toString());
            boolean timeout = cause instanceof UpstreamTimeoutException || cause instanceof TimeoutException;
            int status = timeout ? 504 : 502;
            String message = timeout
                ? "upstream did not answer in time"
                : "upstream is unreachable: " + UpstreamFailures.describe(cause);
            accountRef.tell(AccountEntity.Report.of(lease, UpstreamAnswers.unreachable(message), afterRefresh,
                demand(call).family()));
            UpstreamRefusal refused = new UpstreamRefusal(account.id(), status, timeout ? "timeout_error" : "api_error",
                AnthropicErrorResponses.of(status, message), true);
            return failOver(call, settlement, excluded, attempts, account.id(), refused);
          }
          long headersNanos = System.nanoTime();
          int status = response.status().intValue();
          if (status < 400) {
            reportSuccess(accountRef, account.id(), lease, afterRefresh,
                UpstreamAnswers.classify(status, rateLimitHeaders(response), null), demand(call).family());
            return answer(call, settlement, account, attempts, response, headersNanos);
          }
          return onUpstreamError(call, settlement, accountRef, granted, excluded, attempts, afterRefresh, response);
        })
        .thenCompose(stage -> stage);
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
  private CompletionStage<HttpResponse> onUpstreamError(RelayCall call, Settlement settlement,
      EntityRef<AccountEntity.Command> accountRef, AccountEntity.Granted granted, Set<String> excluded, int attempts,
      boolean afterRefresh, HttpResponse response) {
    String accountId = granted.account().id();
    int status = response.status().intValue();
    return StrictEntities.of(response.entity(), settings.upstream().bodyTimeout().toMillis(),
            settings.upstream().maxResponseSize(), materializer)
        .thenCompose(strict -> {
          ByteString body = strict.getData();
          AnswerVerdict verdict = UpstreamAnswers.classify(status, rateLimitHeaders(response), body.toArray());
          HttpResponse passOn = HttpResponse.create().withStatus(response.status())
              .withHeaders(ClaudePlatform.clientHeaders(response))
              .withEntity(HttpEntities.create(strict.getContentType(), body));
          UpstreamRefusal refused = new UpstreamRefusal(accountId, status, AnthropicErrors.typeForStatus(status), passOn,
              false);
          if (verdict.answerClass() == AnswerClass.UNAUTHORIZED && !afterRefresh) {
            return accountRef.<AccountEntity.ReportReply>ask(
                    r -> new AccountEntity.Report(granted.leaseId(), verdict, false, r,
                        granted.account().sealedSecrets(), demand(call).family()), refreshTimeout())
                .exceptionally(t -> new AccountEntity.Noted())
                .thenCompose(reply -> {
                  if (reply instanceof AccountEntity.RetryWith retry) {
                    log.info("request {}: account {} refreshed its token after a 401; retrying", call.requestId(),
                        accountId);
                    return callUpstream(call, settlement, accountRef,
                        new AccountEntity.Granted(granted.leaseId(), retry.account()), excluded, attempts, true);
                  }
                  return failOver(call, settlement, excluded, attempts, accountId, refused);
                });
          }
          accountRef.tell(AccountEntity.Report.of(granted.leaseId(), verdict, afterRefresh, demand(call).family()));
          if (verdict.failover()) {
            return failOver(call, settlement, excluded, attempts, accountId, refused);
          }
          settlement.settle(usageRecords.record(call, accountId, attempts, null, TokenUsage.ZERO, status,
              RequestOutcome.UPSTREAM_ERROR, AnthropicErrors.typeForStatus(status), System.nanoTime()));
          return CompletableFuture.completedFuture(passOn);
        });
  }

  /** Nothing reached the client yet: free this account and try the next one, or give the refusal back. */
  private CompletionStage<HttpResponse> failOver(RelayCall call, Settlement settlement, Set<String> excluded,
      int attempts, String accountId, UpstreamRefusal refused) {
    settlement.releaseAccount();
    if (attempts >= settings.upstream().maxAccountAttempts()) {
      return CompletableFuture.completedFuture(giveUp(call, settlement, attempts, refused));
    }
    log.info("request {}: account {} refused ({}); failing over", call.requestId(), accountId, refused.status());
    Set<String> next = new HashSet<>(excluded);
    next.add(accountId);
    return attempt(call, settlement, Set.copyOf(next), attempts + 1, refused);
  }

  /**
   * An error event inside a stream that had started (upstream's own {@code event: error}) says the
   * same about the account as the status would have: overloaded or rate limited.
   */
  private void reportStreamError(String accountId, String errorType, RelayCall call) {
    int status = errorType == null ? 0 : switch (errorType) {
      case "overloaded_error" -> 529;
      case "rate_limit_error" -> 429;
      case "api_error" -> 500;
      default -> 0;
    };
    if (status > 0) {
      sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, accountId).tell(AccountEntity.Report.of(null,
          UpstreamAnswers.classify(status, java.util.Map.of(), null), false, demand(call).family()));
    }
  }

  /** The headers account health is read from: rate-limit windows and retry-after, names in lower case. */
  private static java.util.Map<String, String> rateLimitHeaders(HttpResponse response) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (HttpHeader h : response.getHeaders()) {
      String name = h.lowercaseName();
      if (name.startsWith("anthropic-ratelimit-unified-") || name.equals("retry-after")) {
        out.put(name, h.value());
      }
    }
    return out;
  }

  private CompletionStage<HttpResponse> answer(RelayCall call, Settlement settlement, AccountDefinition account,
      int attempts, HttpResponse response, long headersNanos) {
    String accountId = account.id();
    double multiplier = account.priceMultiplier();
    int status = response.status().intValue();
    HttpEntity entity = response.entity();
    boolean eventStream = entity.getContentType().mediaType().equals(MediaTypes.TEXT_EVENT_STREAM);
    List<HttpHeader> headers = new ArrayList<>(ClaudePlatform.clientHeaders(response));
    if (eventStream && status < 300) {
      return CompletableFuture.completedFuture(stream(call, settlement, accountId, multiplier, attempts, response,
          headers, headersNanos));
    }
    return StrictEntities.of(entity, settings.upstream().bodyTimeout().toMillis(),
            settings.upstream().maxResponseSize(), materializer)
        .thenApply(strict -> {
          ByteString body = strict.getData();
          MessageUsage usage = status < 300 && call.endpoint().equals("messages")
              ? AnthropicUsage.fromMessageBytes(body.toArrayUnsafe())
              : new MessageUsage(null, TokenUsage.ZERO);
          RequestOutcome outcome = status < 300 ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_ERROR;
          settlement.settle(usageRecords.record(call, accountId, attempts, usage.model(), usage.usage(), status,
              outcome, status < 300 ? null : AnthropicErrors.typeForStatus(status), System.nanoTime(), headersNanos,
              multiplier));
          return HttpResponse.create()
              .withStatus(response.status())
              .withHeaders(headers)
              .withEntity(HttpEntities.create(entity.getContentType(), body));
        });
  }

  private HttpResponse stream(RelayCall call, Settlement settlement, String accountId, double multiplier,
      int attempts, HttpResponse response, List<HttpHeader> headers, long headersNanos) {
    AnthropicUsageTap tap = new AnthropicUsageTap();
    int status = response.status().intValue();
    java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<org.apache.pekko.actor.Cancellable> guard =
        new java.util.concurrent.atomic.AtomicReference<>();
    SseUsageTapStage.Listener listener = new SseUsageTapStage.Listener() {
      @Override
      public void started() {
        started.set(true);
        // The guard below holds the whole response; drop it as soon as the stream runs.
        org.apache.pekko.actor.Cancellable g = guard.getAndSet(null);
        if (g != null) {
          g.cancel();
        }
      }

      @Override
      public void ended(StreamEnd end, long firstChunkNanos, Throwable failure) {
        RequestOutcome outcome = switch (end) {
          case COMPLETED -> tap.sawMessageStop() || tap.errorType() == null
              ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_FAILED;
          case UPSTREAM_FAILED -> RequestOutcome.UPSTREAM_FAILED;
          case CLIENT_CANCELLED -> RequestOutcome.CLIENT_DISCONNECTED;
        };
        if (failure != null) {
          log.warn("request {}: upstream stream broke off: {}", call.requestId(), failure.toString());
        }
        String errorType = tap.errorType() != null ? tap.errorType()
            : end == StreamEnd.UPSTREAM_FAILED ? "api_error" : null;
        reportStreamError(accountId, tap.errorType(), call);
        settlement.settle(usageRecords.record(call, accountId, attempts, tap.model(), tap.usage(), status, outcome,
            errorType, firstChunkNanos, headersNanos, multiplier));
      }
    };
    Source<ByteString, Object> body = response.entity().getDataBytes()
        .via(new SseUsageTapStage(tap,
            failure -> ByteString.fromArrayUnsafe(AnthropicErrors.sseEvent("api_error",
                "upstream stream broke off: " + UpstreamFailures.describe(failure))),
            listener));
    // If the client is gone before its response is written, the body is never run: settle and free upstream.
    guard.set(system.scheduler().scheduleOnce(UNSTARTED_STREAM_GRACE, () -> {
      if (!started.get() && !settlement.settled()) {
        response.discardEntityBytes(materializer);
        settlement.settle(usageRecords.record(call, accountId, attempts, null, TokenUsage.ZERO, status,
            RequestOutcome.CLIENT_DISCONNECTED, null, 0, headersNanos, multiplier));
      }
    }, system.executionContext()));
    ContentType contentType = response.entity().getContentType();
    if (headers.stream().noneMatch(h -> h.is("cache-control"))) {
      headers.add(RawHeader.create("cache-control", "no-cache"));
    }
    headers.add(RawHeader.create("x-accel-buffering", "no"));
    return HttpResponse.create()
        .withStatus(response.status())
        .withHeaders(headers)
        .withEntity(HttpEntities.createChunked(contentType, body));
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
