package dev.relaycluster.relay;

import dev.relaycluster.protocol.convert.AnswerConversion;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.DialectCodec;
import dev.relaycluster.protocol.convert.TokenEstimate;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.UpstreamCall;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * Plans one try of a request on an account's platform (ARCHITECTURE.md §1 step 5, "Converter if the pool's
 * platforms speak another dialect"): the request as it is when the platform speaks the client's dialect
 * (renamed to the mapped model if the model map says so), else read into the intermediate model by the
 * client's codec and written by the platform's, with the answer converted back. A request that cannot be
 * carried is refused in the client's dialect, naming what; a token count the platform cannot make is
 * estimated and answered here. Vendor-blind: the codecs know the dialects.
 */
final class TargetPlanner {
  /** Carried by an answer whose request was converted: "client→upstream" dialects. */
  static final String CONVERTED_HEADER = "x-relay-converted";
  static final String ESTIMATED_HEADER = "x-relay-token-count";

  private final Conversions conversions;
  private final ReplayNotes replay;

  TargetPlanner(Conversions conversions, ReplayNotes replay) {
    this.conversions = conversions;
    this.replay = replay;
  }

  /** The outcome: a target to call, a refusal for the client, or an answer made here (with its target). */
  record Plan(RelayTarget target, RelayAnswer.Refused refused, HttpResponse local) {}

  CompletionStage<Plan> plan(RelayCall call, Platform platform) {
    Dialect client = call.dialect();
    if (platform.speaks(client.id()) && platform.serves(call.endpoint())) {
      // Error bodies pass as they came, unless the platform says its own are in no dialect's shape.
      RelayTarget.ErrorTranslation asIs = (status, body) -> {
        String message = platform.foreignErrorMessage(status, body);
        return message == null ? null : client.errorBody(ErrorKind.forStatus(status), message);
      };
      return done(new Plan(new RelayTarget(ModelRewrite.to(call.upstreamCall(), call.targetModel()), client,
          AnswerFraming.IDENTITY, asIs, null, List.of()), null, null));
    }
    Optional<DialectCodec> from = conversions.codec(client.id());
    Optional<DialectCodec> to = conversions.codec(platform.dialect());
    Optional<Dialect> upstreamDialect = conversions.dialect(platform.dialect());
    if (from.isEmpty() || to.isEmpty() || upstreamDialect.isEmpty()) {
      return refuse(ErrorKind.INVALID_REQUEST, "the " + call.pool() + " pool's " + platform.accountType()
          + " accounts cannot serve " + client.id().wireName() + " requests");
    }
    Conversation conversation;
    try {
      conversation = from.get().readRequest(call.endpoint(), call.body().toArrayUnsafe()).withModel(call.targetModel());
    } catch (ConversionException e) {
      return refuse(e.kind(), e.getMessage());
    } catch (IllegalArgumentException e) {
      // An endpoint the client's codec has no conversion for (a compaction, a side call of a client's own tool).
      return refuse(ErrorKind.NOT_FOUND, "this endpoint cannot be served by " + platform.accountType() + " accounts ("
          + e.getMessage() + ")");
    }
    if (!call.request().generates()) {
      return estimate(call, from.get(), conversation, platform);
    }
    String description = client.id().wireName() + "→" + platform.dialect().wireName();
    return replay.lookUp(call.key().id(), conversation).thenApply(book -> {
      WrittenRequest written;
      try {
        written = to.get().writeRequest(conversation, book);
      } catch (ConversionException e) {
        return new Plan(null, refusal(e.kind(), e.getMessage()), null);
      } catch (IllegalArgumentException e) {
        return new Plan(null, refusal(ErrorKind.INVALID_REQUEST, e.getMessage()), null);
      }
      RequestView view = new RequestView(call.targetModel(), conversation.stream(),
          conversation.maxTokens(), true, call.sessionKey());
      UpstreamCall upstream = new UpstreamCall(written.endpoint(), written.query(), converted(call.headers()),
          ContentTypes.APPLICATION_JSON, ByteString.fromArrayUnsafe(written.body()), view);
      Set<String> freeform = conversation.tools().stream().filter(ToolSpec::freeform).map(ToolSpec::name)
          .collect(Collectors.toSet());
      AnswerOptions options = new AnswerOptions(call.request().model(),
          from.get().wantsStreamUsage(call.body().toArrayUnsafe()), call.startedAtMillis() / 1000, freeform);
      AnswerConversion conversion = new AnswerConversion(to.get(), from.get(), options,
          replay.recorder(call.key().id()), "text/event-stream");
      RelayTarget.ErrorTranslation errors = (status, body) -> {
        String message = safeMessage(to.get(), body);
        return client.errorBody(ErrorKind.forStatus(status), message != null ? message
            : "the " + platform.accountType() + " upstream answered " + status);
      };
      return new Plan(new RelayTarget(upstream, upstreamDialect.get(), conversion, errors, description,
          written.notes()), null, null);
    });
  }

  /** A count of tokens on a platform that has none for the client's dialect: estimated, and said so. */
  private static CompletionStage<Plan> estimate(RelayCall call, DialectCodec client, Conversation conversation,
      Platform platform) {
    byte[] body = client.tokenCount(TokenEstimate.of(conversation));
    if (body == null) {
      return refuse(ErrorKind.NOT_FOUND, "this endpoint cannot be served by " + platform.accountType() + " accounts");
    }
    return done(new Plan(RelayTarget.answeredHere(call), null, HttpResponse.create().withStatus(200)
        .addHeader(RawHeader.create(ESTIMATED_HEADER, "estimated"))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body))));
  }

  /**
   * The client's headers a converted request keeps: only its user agent. The rest belong to the client's
   * dialect (its version and beta flags, its SDK's headers) and mean nothing, or the wrong thing, to
   * another vendor; each platform adds the headers its upstream requires.
   */
  private static List<HttpHeader> converted(List<HttpHeader> headers) {
    return headers.stream().filter(h -> h.is("user-agent")).toList();
  }

  private static String safeMessage(DialectCodec codec, byte[] body) {
    try {
      String m = codec.errorMessage(body);
      return m == null || m.isBlank() ? null : m;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static RelayAnswer.Refused refusal(ErrorKind kind, String message) {
    return new RelayAnswer.Refused(kind, message);
  }

  private static CompletionStage<Plan> refuse(ErrorKind kind, String message) {
    return done(new Plan(null, refusal(kind, message), null));
  }

  private static CompletionStage<Plan> done(Plan plan) {
    return CompletableFuture.completedFuture(plan);
  }
}
