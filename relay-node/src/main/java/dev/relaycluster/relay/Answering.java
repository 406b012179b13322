package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.metrics.RelayMetrics;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.StrictEntities;
import dev.relaycluster.upstream.UpstreamFailures;
import dev.relaycluster.usage.RequestOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns upstream's accepted answer into the client's: a stream passes byte for byte through the
 * dialect's usage tap and settles when it ends however it ends; a whole answer is read (bounded), its
 * usage taken, settled and passed on. Vendor-blind: the dialect taps, the platform judges in-stream errors.
 */
final class Answering {
  private static final Logger log = LoggerFactory.getLogger(Answering.class);
  private static final Duration UNSTARTED_STREAM_GRACE = Duration.ofSeconds(30);

  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final AccountChoice choice;
  private final UsageRecords usageRecords;
  private final RelaySettings.Upstream settings;
  private final RelayMetrics metrics;

  Answering(ActorSystem<?> system, AccountChoice choice, UsageRecords usageRecords, RelaySettings.Upstream settings) {
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.choice = choice;
    this.usageRecords = usageRecords;
    this.settings = settings;
    this.metrics = RelayMetrics.get(system);
  }

  /**
   * @param servedModels how the account's answers name the model to price ({@link Platform#servedModels})
   */
  CompletionStage<RelayAnswer> answer(Attempt attempt, AccountDefinition account, Platform platform,
      RelayTarget target, HttpResponse response, long headersNanos, UnaryOperator<String> servedModels) {
    RelayCall call = attempt.call();
    int status = response.status().intValue();
    HttpEntity entity = response.entity();
    boolean eventStream = entity.getContentType().mediaType().equals(MediaTypes.TEXT_EVENT_STREAM);
    List<HttpHeader> headers = clientHeaders(platform, target, response);
    if (eventStream && status < 300 && call.request().stream()) {
      return CompletableFuture.completedFuture(
          new RelayAnswer.Streamed(stream(attempt, account, platform, target, response, headers, true, headersNanos,
              servedModels)));
    }
    if (eventStream && status < 300) {
      return addUp(attempt, account, platform, target, response, headers, headersNanos, servedModels);
    }
    long readNanos = System.nanoTime();
    return StrictEntities.of(entity, settings.bodyTimeout().toMillis(), settings.maxResponseSize(), materializer)
        .exceptionally(failure -> brokeOff(call, failure))
        .thenApply(strict -> {
          attempt.upstreamWait().since(readNanos);
          ByteString body = strict.getData();
          if (status < 300 && !target.answeredHere() && notJson(entity, body)) {
            throw new UnusableAnswerException("the upstream answer is not the JSON it announced",
                call.dialect().errorType(ErrorKind.API_ERROR));
          }
          MessageUsage usage = status < 300
              ? target.upstreamDialect().wholeUsage(target.upstreamCall().endpoint(), body.toArrayUnsafe())
              : new MessageUsage(null, TokenUsage.ZERO);
          ByteString answer;
          try {
            // Usage was read from upstream's own framing; the client gets the answer in the frame it asked for.
            answer = status < 300 ? reframed(target, platformFraming(target, platform), body) : body;
          } catch (RuntimeException e) {
            log.warn("request {}: the answer of account {} could not be converted: {}", call.requestId(),
                account.id(), e.toString());
            attempt.settlement().settle(usageRecords.record(call, account.id(), attempt.number(),
                servedModels.apply(usage.model()), usage.usage(), 502, RequestOutcome.UPSTREAM_FAILED,
                call.dialect().errorType(ErrorKind.BAD_GATEWAY),
                System.nanoTime(), headersNanos, account.priceMultiplier()));
            return new RelayAnswer.Refused(ErrorKind.BAD_GATEWAY, "the upstream answer could not be converted");
          }
          RequestOutcome outcome = status < 300 ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_ERROR;
          attempt.settlement().settle(usageRecords.record(call, account.id(), attempt.number(),
              servedModels.apply(usage.model()), usage.usage(), status, outcome,
              status < 300 ? null : call.dialect().errorType(ErrorKind.forStatus(status)), System.nanoTime(),
              headersNanos, account.priceMultiplier()));
          return new RelayAnswer.Whole(HttpResponse.create()
              .withStatus(response.status())
              .withHeaders(headers)
              .withEntity(HttpEntities.create(target.converted() && status < 300
                  ? org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON : entity.getContentType(), answer)));
        });
  }

  /**
   * A streamed answer, should a refusal end the request with it ({@link EarlyBreaks}): nothing is read or settled
   * before the client's response is written, and nothing settles it if it is never written (the request is
   * settled by whatever answered it, or by the refusal's own record).
   */
  RelayAnswer.Streamed unsettledStream(Attempt attempt, AccountDefinition account, Platform platform,
      RelayTarget target, HttpResponse response, long headersNanos, UnaryOperator<String> servedModels) {
    return new RelayAnswer.Streamed(stream(attempt, account, platform, target, response,
        clientHeaders(platform, target, response), false, headersNanos, servedModels));
  }

  private static List<HttpHeader> clientHeaders(Platform platform, RelayTarget target, HttpResponse response) {
    List<HttpHeader> headers = new ArrayList<>(platform.clientHeaders(response));
    if (target.converted()) {
      headers.add(RawHeader.create(TargetPlanner.CONVERTED_HEADER, target.description()));
      if (!target.notes().isEmpty()) {
        headers.add(RawHeader.create(TargetPlanner.CONVERTED_HEADER + "-notes",
            ascii(String.join("; ", target.notes()))));
      }
    }
    return headers;
  }

  /**
   * The client asked for a whole answer and upstream streamed (a platform that only streams): the stream
   * is read (bounded), tapped, and added up by the dialect into the whole answer.
   */
  private CompletionStage<RelayAnswer> addUp(Attempt attempt, AccountDefinition account, Platform platform,
      RelayTarget target, HttpResponse response, List<HttpHeader> headers, long headersNanos,
      UnaryOperator<String> servedModels) {
    RelayCall call = attempt.call();
    long readNanos = System.nanoTime();
    return StrictEntities.of(response.entity(), settings.bodyTimeout().toMillis(), settings.maxResponseSize(),
            materializer)
        .exceptionally(failure -> brokeOff(call, failure))
        .thenApply(strict -> {
          attempt.upstreamWait().since(readNanos);
          byte[] sse = strict.getData().toArray();
          UsageTap tap = target.upstreamDialect().newTap();
          tap.feed(java.nio.ByteBuffer.wrap(sse));
          byte[] whole;
          boolean unconvertible = false;
          if (target.converted()) {
            // The upstream's codec adds its stream up itself (every item as it was streamed, not only what the
            // final event repeats), and the client's writes the whole answer.
            try {
              whole = target.conversion().whole(sse);
            } catch (RuntimeException e) {
              log.warn("request {}: the answer of account {} could not be converted: {}", call.requestId(),
                  account.id(), e.toString());
              whole = null;
              unconvertible = true;
            }
          } else {
            whole = target.upstreamDialect().wholeFromStream(sse);
          }
          boolean complete = whole != null && tap.errorType() == null;
          if (!complete && !unconvertible) {
            // Upstream's stream broke (no final event, or its error): nothing reached the client, so another
            // account may answer whole.
            throw new UnusableAnswerException("the upstream stream ended without a complete answer"
                + (tap.errorType() == null ? "" : " (" + tap.errorType() + ")"), tap.errorType() != null
                ? tap.errorType() : call.dialect().errorType(ErrorKind.API_ERROR), tap.errorJson());
          }
          attempt.settlement().settle(usageRecords.record(call, account.id(), attempt.number(),
              servedModels.apply(tap.model()), tap.usage(), complete ? 200 : 502,
              complete ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_FAILED,
              complete ? null : tap.errorType() != null ? tap.errorType() : call.dialect().errorType(ErrorKind.API_ERROR),
              System.nanoTime(), headersNanos, account.priceMultiplier()));
          if (!complete) {
            return new RelayAnswer.Refused(ErrorKind.BAD_GATEWAY, "the upstream stream ended without a complete answer"
                + (tap.errorType() == null ? "" : " (" + tap.errorType() + ")"));
          }
          headers.removeIf(h -> h.is("content-type") || h.is("content-length"));
          return new RelayAnswer.Whole(HttpResponse.create().withStatus(200).withHeaders(headers)
              .withEntity(HttpEntities.create(org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON,
                  whole)));
        });
  }

  /**
   * A body that broke off (cut, or no byte for too long) before the client got any of it: unusable, so another
   * account may answer; a body over the size limit stays this account's failure.
   */
  private static HttpEntity.Strict brokeOff(RelayCall call, Throwable failure) {
    Throwable cause = UpstreamFailures.unwrap(failure);
    if (StrictEntities.tooLarge(cause)) {
      throw failure instanceof java.util.concurrent.CompletionException c ? c
          : new java.util.concurrent.CompletionException(cause);
    }
    throw new UnusableAnswerException("the upstream answer broke off: " + UpstreamFailures.describe(cause),
        call.dialect().errorType(ErrorKind.API_ERROR));
  }

  /**
   * An answer that says it is JSON and is not (upstream sent garbage with a 200): checked with a token scan, which
   * refuses what a tree read refuses without building the tree.
   */
  private static boolean notJson(HttpEntity entity, ByteString body) {
    String subType = entity.getContentType().mediaType().subType();
    boolean json = subType.equals("json") || subType.endsWith("+json");
    return json && !dev.relaycluster.protocol.util.JsonTokens.isJson(body.toArrayUnsafe());
  }

  /** A whole answer in the platform's framing, then (for a converted request) in the client's dialect. */
  private static ByteString reframed(RelayTarget target, AnswerFraming framing, ByteString body) {
    ByteString framed = framing.identity() ? body : ByteString.fromArrayUnsafe(framing.whole(body.toArrayUnsafe()));
    return target.converted() ? ByteString.fromArrayUnsafe(target.conversion().whole(framed.toArrayUnsafe())) : framed;
  }

  /** The platform's framing of its answers, none for an answer the relay made itself. */
  private static AnswerFraming platformFraming(RelayTarget target, Platform platform) {
    return target.answeredHere() ? AnswerFraming.IDENTITY : platform.framing(target.upstreamCall());
  }

  /** Header values are ASCII: anything else in a note becomes '?'. */
  private static String ascii(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** @param guarded whether a stream the client never starts is settled (as the client gone) after a grace */
  private HttpResponse stream(Attempt attempt, AccountDefinition account, Platform platform, RelayTarget target,
      HttpResponse response, List<HttpHeader> headers, boolean guarded, long headersNanos,
      UnaryOperator<String> servedModels) {
    RelayCall call = attempt.call();
    Settlement settlement = attempt.settlement();
    UsageTap tap = target.upstreamDialect().newTap();
    int status = response.status().intValue();
    AtomicBoolean started = new AtomicBoolean();
    AtomicReference<Cancellable> guard = new AtomicReference<>();
    UsageTapStage.Listener listener = new UsageTapStage.Listener() {
      @Override
      public void started() {
        started.set(true);
        metrics.streamOpened(call.pool());
        // The guard below holds the whole response; drop it as soon as the stream runs.
        Cancellable g = guard.getAndSet(null);
        if (g != null) {
          g.cancel();
        }
      }

      @Override
      public void ended(StreamEnd end, long firstChunkNanos, Throwable failure) {
        if (started.get()) {
          metrics.streamClosed(call.pool());
        }
        RequestOutcome outcome = switch (end) {
          case COMPLETED -> tap.sawEnd() || tap.errorType() == null
              ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_FAILED;
          case UPSTREAM_FAILED -> RequestOutcome.UPSTREAM_FAILED;
          case CLIENT_CANCELLED -> RequestOutcome.CLIENT_DISCONNECTED;
        };
        if (failure != null) {
          log.warn("request {}: upstream stream broke off: {}", call.requestId(), failure.toString());
        }
        String errorType = tap.errorType() != null ? tap.errorType()
            : end == StreamEnd.UPSTREAM_FAILED ? call.dialect().errorType(ErrorKind.API_ERROR) : null;
        choice.reportStreamError(account.id(), platform, tap, call.targetModel());
        settlement.settle(usageRecords.record(call, account.id(), attempt.number(), servedModels.apply(tap.model()),
            tap.usage(), status, outcome, errorType, firstChunkNanos, headersNanos, account.priceMultiplier()));
      }
    };
    Source<ByteString, Object> body = response.entity().getDataBytes()
        .via(new UsageTapStage(tap,
            // The error event is upstream's: the platform's framing and a conversion carry it to the client.
            failure -> ByteString.fromArrayUnsafe(target.upstreamDialect().streamErrorEvent(ErrorKind.API_ERROR,
                "upstream stream broke off: " + UpstreamFailures.describe(failure))),
            listener));
    org.apache.pekko.http.javadsl.model.ContentType contentType = response.entity().getContentType();
    // The tap above read upstream's frames; the client's are made after it: the platform's, then the client's
    // dialect when the request was converted.
    for (AnswerFraming framing : List.of(platformFraming(target, platform), target.conversion())) {
      if (!framing.identity()) {
        body = body.via(ReframedStream.of(framing.newStream()));
        if (framing.streamContentType() != null) {
          contentType = org.apache.pekko.http.javadsl.model.ContentTypes.parse(framing.streamContentType());
        }
      }
    }
    // If the client is gone before its response is written, the body is never run: settle and free upstream.
    if (guarded) {
      guard.set(system.scheduler().scheduleOnce(UNSTARTED_STREAM_GRACE, () -> {
        if (!started.get() && !settlement.settled()) {
          response.discardEntityBytes(materializer);
          settlement.settle(usageRecords.record(call, account.id(), attempt.number(), null, TokenUsage.ZERO, status,
              RequestOutcome.CLIENT_DISCONNECTED, null, 0, headersNanos, account.priceMultiplier()));
        }
      }, system.executionContext()));
    }
    if (headers.stream().noneMatch(h -> h.is("cache-control"))) {
      headers.add(RawHeader.create("cache-control", "no-cache"));
    }
    headers.add(RawHeader.create("x-accel-buffering", "no"));
    return HttpResponse.create()
        .withStatus(response.status())
        .withHeaders(headers)
        .withEntity(HttpEntities.createChunked(contentType, body));
  }
}
