package dev.relaycluster.http;

import dev.relaycluster.apikey.CostEstimate;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.ModelRoute;
import dev.relaycluster.apikey.ModelRouter;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyStatus;
import dev.relaycluster.apikey.RequestFacts;
import dev.relaycluster.apikey.StaticPolicy;
import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.client.ClientRecognizer;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.util.TimeOrderedIds;
import dev.relaycluster.relay.RelayCall;
import dev.relaycluster.metrics.RelayMetrics;
import dev.relaycluster.relay.RelayFlow;
import dev.relaycluster.upstream.StrictEntities;
import dev.relaycluster.usage.PriceBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps 1–2 of a client request in any dialect (ARCHITECTURE.md §1): authenticate the key on this
 * node's directory, bound and read the body, let the dialect read it into a {@link RequestView}, then
 * hand the call to the {@link RelayFlow} and render its answer. Every error is in the client's dialect.
 */
public final class ClientRequests {
  private static final Logger log = LoggerFactory.getLogger(ClientRequests.class);

  private final KeyDirectory keys;
  private final RelayFlow relay;
  /** Read per request: the operator's override file is reloaded while the node runs. */
  private final PriceBook prices;
  private final RelaySettings settings;
  private final Materializer materializer;
  private final NodeDrain drain;
  private final ClientRecognizer clients;
  private final ModelRouter router;
  /** Time-ordered, so the request log (keyed by request id) grows at the end of its index. */
  private final TimeOrderedIds requestIds = TimeOrderedIds.systemClock();
  private final RelayMetrics metrics;
  /** Who the client is behind the proxies the operator trusts: the address its request's log line names. */
  private final TrustedProxies proxies;
  /**
   * Marks an answer the relay's flow gave (its request settles there and is counted as it does); an answer
   * without it was turned away here. An attribute, not a header: it never leaves the node.
   */
  private static final AttributeKey<Boolean> FROM_FLOW = AttributeKey.create("relay-flow-answer", Boolean.class);

  public ClientRequests(KeyDirectory keys, RelayFlow relay, PriceBook prices, RelaySettings settings,
      Materializer materializer, NodeDrain drain, ClientRecognizer clients, RelayMetrics metrics) {
    this(keys, relay, prices, settings, materializer, drain, clients, metrics, ModelRouter.PREFIXES);
  }

  public ClientRequests(KeyDirectory keys, RelayFlow relay, PriceBook prices, RelaySettings settings,
      Materializer materializer, NodeDrain drain, ClientRecognizer clients, RelayMetrics metrics, ModelRouter router) {
    this(keys, relay, prices, settings, materializer, drain, clients, metrics, router, TrustedProxies.NONE);
  }

  public ClientRequests(KeyDirectory keys, RelayFlow relay, PriceBook prices, RelaySettings settings,
      Materializer materializer, NodeDrain drain, ClientRecognizer clients, RelayMetrics metrics, ModelRouter router,
      TrustedProxies proxies) {
    this.proxies = proxies;
    this.router = router;
    this.metrics = metrics;
    this.keys = keys;
    this.relay = relay;
    this.prices = prices;
    this.settings = settings;
    this.materializer = materializer;
    this.drain = drain;
    this.clients = clients;
  }

  /**
   * Relays a POST of {@code endpoint} in {@code dialect}: to the pool the model map names for the request's
   * model, by default {@code pool} (null for a path that serves every pool: then the map must name one).
   */
  public CompletionStage<HttpResponse> relay(HttpRequest req, Dialect dialect, String pool, String endpoint) {
    return counted(dialect, pool, relayOrRefuse(req, dialect, pool, endpoint, router));
  }

  /**
   * Relays a POST of {@code endpoint} in {@code dialect} to {@code pool} whatever the model (a path pinned to a
   * pool): the model map's name for the model applies only where it names this pool.
   */
  public CompletionStage<HttpResponse> relayPinned(HttpRequest req, Dialect dialect, String pool, String endpoint) {
    ModelRouter pinned = (key, model, home) -> router.route(key, model, home)
        .filter(route -> route.pool().equals(home))
        .or(() -> Optional.of(new ModelRoute(home, model)));
    return counted(dialect, pool, relayOrRefuse(req, dialect, pool, endpoint, pinned));
  }

  /**
   * Relays a POST of {@code endpoint} in {@code dialect} on a Droid path: to the droid pool when the key may use
   * it and {@code droidHasAccounts}, else where the model map sends the model (by default {@code homePool}),
   * as {@link DroidPoolChoice} decides.
   */
  public CompletionStage<HttpResponse> relayDroid(HttpRequest req, Dialect dialect, String homePool, String endpoint,
      java.util.function.BooleanSupplier droidHasAccounts) {
    ModelRouter droid = (key, model, home) -> DroidPoolChoice.choose(
        key.settings().access().allowsPool(DroidPoolChoice.DROID), droidHasAccounts.getAsBoolean(), model,
        router.route(key, model, home));
    return counted(dialect, homePool, relayOrRefuse(req, dialect, homePool, endpoint, droid));
  }

  /**
   * An answer not marked as the flow's never reached it (no key, an unknown or unusable key, a body that cannot
   * be read, a model no pool serves, a draining node): counted here, as the flow counts the others when they
   * settle.
   */
  private CompletionStage<HttpResponse> counted(Dialect dialect, String pool, CompletionStage<HttpResponse> answer) {
    return answer.whenComplete((response, failure) -> {
      if (response != null && response.getAttribute(FROM_FLOW).isEmpty()) {
        metrics.requestFinished(pool, dialect.id().wireName(), "none", response.status().intValue(), "REJECTED");
      }
    });
  }

  private CompletionStage<HttpResponse> relayOrRefuse(HttpRequest req, Dialect dialect, String pool,
      String endpoint, ModelRouter router) {
    if (drain.draining()) {
      // Nothing happened yet, so a balancer may retry this on another node.
      req.discardEntityBytes(materializer);
      return done(DialectResponses.error(dialect, ErrorKind.OVERLOADED, "this relay node is shutting down; retry", 1)
          .addHeader(Connection.create("close")));
    }
    // A revoked or deleted key's call is refused by its policy after the body is read, so that the refusal
    // is recorded in the key's ledger like every other.
    return identified(req, dialect, key -> readAndRelay(req, key, dialect, pool, endpoint, router));
  }

  /** Runs {@code next} with the request's active key; 401 in the dialect for a missing, unknown or unusable key. */
  public CompletionStage<HttpResponse> authenticated(HttpRequest req, Dialect dialect,
      Function<KeyEntry, CompletionStage<HttpResponse>> next) {
    return identified(req, dialect, key -> {
      if (!key.active()) {
        req.discardEntityBytes(materializer);
        return done(DialectResponses.error(dialect, ErrorKind.AUTHENTICATION, key.status() == KeyStatus.DELETED
            ? StaticPolicy.DELETED_MESSAGE : StaticPolicy.REVOKED_MESSAGE));
      }
      return next.apply(key);
    });
  }

  /** The key the request names, active or not; 401 for a missing or unknown key. */
  private CompletionStage<HttpResponse> identified(HttpRequest req, Dialect dialect,
      Function<KeyEntry, CompletionStage<HttpResponse>> next) {
    Optional<KeyEntry> key = key(req);
    if (key.isEmpty()) {
      req.discardEntityBytes(materializer);
      return done(DialectResponses.error(dialect, ErrorKind.AUTHENTICATION, ClientKeys.from(req).isEmpty()
          ? "missing API key: send it in x-api-key or Authorization: Bearer"
          : "invalid API key"));
    }
    return next.apply(key.get());
  }

  /** The key a request names, if it is one of this relay's (active or not). */
  public Optional<KeyEntry> key(HttpRequest req) {
    Optional<String> plain = ClientKeys.from(req);
    return plain.flatMap(keys::find);
  }

  private CompletionStage<HttpResponse> readAndRelay(HttpRequest req, KeyEntry key, Dialect dialect, String pool,
      String endpoint, ModelRouter router) {
    long startedNanos = System.nanoTime();
    long startedAt = System.currentTimeMillis();
    long limit = settings.http().maxBodySize();
    long declared = req.entity().getContentLengthOption().orElse(0L);
    if (declared > limit) {
      // Read the body away before answering, so the client (still sending) sees the 413 rather than a
      // reset connection; a body far over the limit is not worth reading: answer and close.
      if (declared > 4 * limit) {
        req.discardEntityBytes(materializer);
        return done(tooLarge(dialect, limit).addHeader(Connection.create("close")));
      }
      // Answered however the reading ends: a client that breaks off gets no answer anyway, and one that
      // stalls gets the connection guard's 408.
      return req.discardEntityBytes(materializer).completionStage().handle((d, failure) -> tooLarge(dialect, limit));
    }
    return StrictEntities.of(req.entity(), settings.upstream().bodyTimeout().toMillis(), limit, materializer)
        .thenCompose(strict -> {
          RequestView view;
          try {
            view = dialect.read(endpoint, strict.getData().toArrayUnsafe(),
                name -> req.getHeader(name).map(HttpHeader::value).orElse(null), key.id());
          } catch (InvalidRequestException e) {
            return done(DialectResponses.error(dialect, ErrorKind.INVALID_REQUEST, e.getMessage()));
          }
          Optional<ModelRoute> route = router.route(key, view.model(), pool);
          if (route.isEmpty()) {
            return done(DialectResponses.error(dialect, ErrorKind.NOT_FOUND, view.model() == null
                ? "the request names no model, and this path serves every pool: name one"
                : "model '" + view.model() + "' is not served by this relay"));
          }
          RelayCall call = new RelayCall(requestIds.next().toString(), key, dialect, route.get().pool(), endpoint,
              ClientKeys.queryWithoutKey(req), toList(req.getHeaders()), strict.getContentType(), strict.getData(),
              view, req.getHeader("user-agent").map(HttpHeader::value).orElse(null), startedAt, startedNanos,
              route.get().model(), proxies.clientAddress(req));
          return relay.relay(call, facts(call, strict.getData().size()))
              .thenApply(answer -> DialectResponses.render(dialect, answer).addAttribute(FROM_FLOW, true));
        })
        .exceptionally(failure -> {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (StrictEntities.tooLarge(cause)) {
            return tooLarge(dialect, limit);
          }
          if (cause instanceof java.util.concurrent.TimeoutException) {
            // A sender that stalled its body: the connection guard answers it (408) and closes the connection.
            log.debug("a request body stalled: {}", cause.toString());
          } else {
            log.warn("could not read a request body: {}", cause.toString());
          }
          return DialectResponses.error(dialect, ErrorKind.INVALID_REQUEST, "the request body could not be read");
        });
  }

  /** What the key's policy and limits judge the request by, with the estimate admission reserves. */
  public RequestFacts facts(RelayCall call) {
    return facts(call, call.body().size());
  }

  private RequestFacts facts(RelayCall call, long bodyBytes) {
    RequestView view = call.request();
    double rate = settings.pricing().serviceRate(call.pool()) * call.key().serviceRate(call.pool());
    long maxTokens = view.maxTokens();
    // The key's model rules and the estimate judge the model upstream is asked for.
    return new RequestFacts(call.pool(), call.dialect().id().wireName(), call.targetModel(),
        clients.recognize(call.userAgent()).kind(),
        view.generates()
            ? CostEstimate.ratedMicros(prices.current().price(call.targetModel(), prices.fallbackModel()).price(),
                maxTokens, bodyBytes, rate)
            : 0,
        view.generates() ? CostEstimate.tokens(maxTokens, bodyBytes) : 0);
  }

  private static HttpResponse tooLarge(Dialect dialect, long limit) {
    return DialectResponses.error(dialect, ErrorKind.TOO_LARGE,
        "request body exceeds the relay's limit of " + limit + " bytes");
  }

  private static List<HttpHeader> toList(Iterable<HttpHeader> headers) {
    List<HttpHeader> out = new ArrayList<>();
    headers.forEach(out::add);
    return out;
  }

  static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
