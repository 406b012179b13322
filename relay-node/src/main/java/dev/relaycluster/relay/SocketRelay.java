package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.Credentials;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.apikey.RequestFacts;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.metrics.RelayMetrics;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.SocketFrames;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.store.CredentialDecryptionException;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.HeaderPolicy;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.Platforms;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.upstream.UpstreamFailures;
import dev.relaycluster.upstream.UpstreamTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's WebSocket (the Responses WebSocket mode), pinned for its whole life to one account and one
 * upstream socket: the account is chosen like a request's (session binding, scheduler, lease), the
 * upstream handshake is made with its credential, and a refused or failed handshake fails over to the
 * next account like an HTTP refusal. Once open, {@link SocketConversation} relays the frames and settles
 * each turn; a turn whose upstream answers an error before any output may fail over to a new upstream
 * socket on the next account ({@link SocketTurnStep} says when), chosen here the same way. Vendor-blind:
 * the platform builds the handshake, the dialect's {@link SocketFrames} reads frames.
 */
public final class SocketRelay {
  private static final Logger log = LoggerFactory.getLogger(SocketRelay.class);

  /** An open socket's client side and the headers for the client's 101, or the refusal of the upgrade. */
  public record Opening(Flow<Message, Message, NotUsed> clientFlow, List<HttpHeader> headers, RelayAnswer refused) {}

  private final SocketConversation.Services services;
  private final CredentialVault vault;
  private final UpstreamClient upstream;
  private final RelaySettings settings;
  private final Platforms platforms;
  private final AccountChoice choice;
  private final RelayMetrics metrics;

  public SocketRelay(ActorSystem<?> system, RelayFlow flow, PoolView pool, LastUsedClock clock, CredentialVault vault,
      UpstreamClient upstream, UsageRecords usageRecords, RelaySettings settings,
      org.apache.pekko.actor.typed.ActorRef<LeaseHolder.Command> leaseHolder, Platforms platforms) {
    this.vault = vault;
    this.upstream = upstream;
    this.settings = settings;
    this.platforms = platforms;
    this.choice = new AccountChoice(system, pool, clock, settings, leaseHolder, vault);
    this.services = new SocketConversation.Services(system, flow, choice, usageRecords, settings);
    this.metrics = RelayMetrics.get(system);
  }

  /**
   * Opens the upstream socket for {@code handshake} (the client's upgrade request read as a call with no
   * body). {@code facts} gives each turn's policy facts. Never a failed stage.
   */
  public CompletionStage<Opening> open(RelayCall handshake, SocketFrames frames,
      Function<RelayCall, RequestFacts> facts) {
    SocketConversation conversation = new SocketConversation(services, handshake, frames, facts, this::failOver);
    return connect(Attempt.first(handshake, null, RouteTrace.OFF), handshake, conversation, false)
        .thenApply(connection -> {
          if (connection instanceof SocketConnection.Connected connected) {
            conversation.attach(connected.leg());
            return new Opening(counted(conversation.clientFlow()), connected.headers(), null);
          }
          conversation.abandon();
          return refused(((SocketConnection.NotConnected) connection).answer());
        })
        .exceptionally(failure -> {
          log.error("socket {} could not be opened", handshake.requestId(), UpstreamFailures.unwrap(failure));
          conversation.abandon();
          return refused(new RelayAnswer.Refused(ErrorKind.API_ERROR, "internal relay error"));
        });
  }

  /**
   * A leg for {@code attempt}'s account: chosen like a request's, its upgrade made with its credential; a
   * refused or failed upgrade moves on to the next account. {@code forTurn}: a turn failing over asks, and
   * keeps the lease taken on the new account for itself.
   */
  private CompletionStage<SocketConnection> connect(Attempt attempt, RelayCall handshake,
      SocketConversation conversation, boolean forTurn) {
    return choice.choose(attempt).thenCompose(result -> {
      if (result instanceof AccountChoice.NoneLeft none) {
        UpstreamRefusal last = none.attempt().last();
        return done(last != null ? last.answer()
            : new RelayAnswer.Refused(ErrorKind.OVERLOADED, "no upstream account available: " + none.reason()));
      }
      AccountChoice.Chosen chosen = (AccountChoice.Chosen) result;
      Attempt current = chosen.attempt();
      AccountDefinition account = chosen.granted().account();
      String lease = chosen.fromReplica() ? null : chosen.granted().leaseId();
      // The lease covers the handshake; each turn takes one of its own (a replica grant holds none).
      Runnable letGo = () -> {
        if (lease != null) {
          chosen.ref().tell(new AccountEntity.Release(lease));
        }
      };
      if (!forTurn) {
        letGo.run();
      }
      Runnable refusedLetGo = forTurn ? letGo : () -> {};
      Platform platform;
      Credential credential;
      try {
        platform = platforms.of(account.type().wireName());
        credential = Credentials.open(vault, account);
      } catch (CredentialDecryptionException | IllegalArgumentException e) {
        log.error("account {} credentials or proxy cannot be read: {}", account.id(), e.getMessage());
        refusedLetGo.run();
        return next(current, account.id(), new UpstreamRefusal(account.id(), 503, null,
            new RelayAnswer.Refused(ErrorKind.OVERLOADED,
                "the chosen upstream account's credentials cannot be read by this relay"), true),
            handshake, conversation, forTurn);
      }
      Optional<WebSocketRequest> request = platform.socketRequest(handshake.upstreamCall(), credential);
      if (request.isEmpty()) {
        refusedLetGo.run();
        return done(new RelayAnswer.Refused(ErrorKind.NOT_FOUND,
            "this pool's accounts have no WebSocket mode; use HTTP"));
      }
      SocketLeg leg = conversation.leg(account, platform);
      String family = platform.modelFamily(current.call().request().model());
      return upstream.openSocket(request.get(), leg.upstreamFlow(), credential.proxy()).first()
          .handle((answer, failure) -> {
            if (failure != null) {
              Throwable cause = UpstreamFailures.unwrap(failure);
              boolean timeout = cause instanceof UpstreamTimeoutException;
              String message = timeout ? "upstream did not answer in time"
                  : "upstream is unreachable: " + UpstreamFailures.describe(cause);
              chosen.ref().tell(AccountEntity.Report.of(null, AnswerVerdict.unreachable(message), false, family));
              leg.abandon();
              refusedLetGo.run();
              ErrorKind kind = timeout ? ErrorKind.TIMEOUT : ErrorKind.BAD_GATEWAY;
              return next(current, account.id(), new UpstreamRefusal(account.id(), kind.status(), null,
                  new RelayAnswer.Refused(kind, message), true), handshake, conversation, forTurn);
            }
            HttpResponse response = answer.response();
            int status = response.status().intValue();
            if (answer.isValid()) {
              AnswerVerdict verdict = platform.classify(status, platform.healthHeaders(response), null,
                  System.currentTimeMillis());
              chosen.ref().tell(AccountEntity.Report.of(null, verdict, false, family));
              return CompletableFuture.<SocketConnection>completedFuture(new SocketConnection.Connected(
                  leg, handshakeHeaders(platform, response), current, forTurn ? lease : null));
            }
            leg.abandon();
            refusedLetGo.run();
            byte[] body = response.entity() instanceof HttpEntity.Strict strict ? strict.getData().toArray() : null;
            AnswerVerdict verdict = platform.classify(status, platform.healthHeaders(response), body,
                System.currentTimeMillis());
            chosen.ref().tell(AccountEntity.Report.of(null, verdict, false, family));
            if (FailoverPolicy.afterRefusal(verdict, false) == FailoverPolicy.Step.REFRESH_AND_RETRY) {
              choice.forgetReplica(account.id()); // the credentials were refused: the next socket asks
            }
            log.info("socket {}: account {} refused the upgrade ({})", current.call().requestId(), account.id(), status);
            RelayAnswer passOn = new RelayAnswer.Whole(response.withHeaders(platform.clientHeaders(response)));
            if (!verdict.failover()) {
              return done(passOn);
            }
            return next(current, account.id(), new UpstreamRefusal(account.id(), status, null, passOn, false),
                handshake, conversation, forTurn);
          })
          .thenCompose(stage -> stage);
    });
  }

  /** A turn's upstream answered an error before any output: the next account, if one may be tried. */
  private CompletionStage<SocketConnection> failOver(Attempt attempt, UpstreamRefusal refusal,
      SocketConversation conversation) {
    return next(attempt, refusal.accountId(), refusal, attempt.call(), conversation, true);
  }

  private CompletionStage<SocketConnection> next(Attempt attempt, String accountId,
      UpstreamRefusal refusal, RelayCall handshake, SocketConversation conversation, boolean forTurn) {
    if (!FailoverPolicy.mayTryAnother(attempt.number(), settings.upstream().maxAccountAttempts())) {
      return done(refusal.answer());
    }
    metrics.failover(attempt.call().pool(), FailoverCause.of(refusal));
    return connect(attempt.next(accountId, refusal), handshake, conversation, forTurn);
  }

  /** The client's side of a socket, counted as open from when it runs until it ends. */
  private Flow<Message, Message, NotUsed> counted(Flow<Message, Message, NotUsed> clientFlow) {
    return clientFlow.watchTermination((mat, done) -> {
      metrics.socketOpened();
      done.whenComplete((d, failure) -> metrics.socketClosed());
      return mat;
    });
  }

  /** Upstream's handshake headers the client may see (turn state, model etag, rate limits), not the socket's own. */
  private static List<HttpHeader> handshakeHeaders(Platform platform, HttpResponse response) {
    return platform.clientHeaders(response).stream()
        .filter(h -> !h.lowercaseName().startsWith("sec-websocket") && !HeaderPolicy.hopByHop(h.lowercaseName()))
        .toList();
  }

  private static Opening refused(RelayAnswer answer) {
    return new Opening(null, List.of(), answer);
  }

  private static CompletionStage<SocketConnection> done(RelayAnswer refused) {
    return CompletableFuture.completedFuture(new SocketConnection.NotConnected(refused));
  }
}
