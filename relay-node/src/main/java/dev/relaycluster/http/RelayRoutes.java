package dev.relaycluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.ClientPaths;
import dev.relaycluster.apikey.CostEstimate;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyStatus;
import dev.relaycluster.apikey.RequestFacts;
import dev.relaycluster.apikey.StaticPolicy;
import dev.relaycluster.node.NodeDrain;
import dev.relaycluster.node.RelaySettings;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.anthropic.MessagesRequest;
import dev.relaycluster.protocol.apikey.ApiKeyFormat;
import dev.relaycluster.protocol.client.ClientRecognizer;
import dev.relaycluster.protocol.session.SessionKeys;
import dev.relaycluster.protocol.util.TimeOrderedIds;
import dev.relaycluster.relay.MessagesRelay;
import dev.relaycluster.relay.RelayCall;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Anthropic-dialect client API, under /api, /claude and the root: POST v1/messages (with any
 * query such as ?beta=true), POST v1/messages/count_tokens, GET v1/models, and a quick HEAD /.
 * Authenticates the key from the node-local directory, bounds and parses the body, then hands the
 * call to the relay. Every error is Anthropic's error JSON.
 */
public final class RelayRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(RelayRoutes.class);
  static final String PLATFORM = "claude";
  /** Built once: {@link #postOnly} is assembled again for every request that reaches it. */
  private static final HttpResponse POST_ONLY = AnthropicErrorResponses.of(405, "invalid_request_error",
      "method not allowed: use POST");

  private final KeyDirectory keys;
  private final MessagesRelay relay;
  /** Read per request: the operator's override file is reloaded while the node runs. */
  private final dev.relaycluster.usage.PriceBook prices;
  private final RelaySettings settings;
  private final Materializer materializer;
  private final NodeDrain drain;
  private final ClientRecognizer clients;
  private final KeyUsageRoutes keyUsage;
  /** Time-ordered, so the request log (keyed by request id) grows at the end of its index. */
  private final TimeOrderedIds requestIds = TimeOrderedIds.systemClock();

  public RelayRoutes(KeyDirectory keys, MessagesRelay relay, dev.relaycluster.usage.PriceBook prices, RelaySettings settings,
      Materializer materializer, NodeDrain drain, ClientRecognizer clients, KeyUsageRoutes keyUsage) {
    this.clients = clients;
    this.keyUsage = keyUsage;
    this.drain = drain;
    this.keys = keys;
    this.relay = relay;
    this.prices = prices;
    this.settings = settings;
    this.materializer = materializer;
  }

  public Route route() {
    return concat(
        pathSingleSlash(() -> concat(
            head(() -> complete(StatusCodes.OK)),
            // A browser opening the relay's address lands on the admin UI; API clients get the service map.
            headerValueByName("accept", accept -> accept.contains("text/html")
                ? redirect(org.apache.pekko.http.javadsl.model.Uri.create("/admin/"), StatusCodes.FOUND)
                : reject()),
            get(() -> complete(JsonResponses.ok(java.util.Map.of(
                "service", "relay-cluster",
                "health", "/health",
                "admin", "/admin/",
                "adminApi", "/admin/api",
                "anthropic", "/api/v1/messages")))))),
        keyUsage.crsRoute(),
        pathPrefix("api", this::anthropicApi),
        pathPrefix("claude", this::anthropicApi),
        anthropicApi());
  }

  private Route anthropicApi() {
    return concat(
        path(segment("v1").slash("messages"), () -> postOnly(() -> messages("messages", "/v1/messages"))),
        path(segment("v1").slash("messages").slash("count_tokens"),
            () -> postOnly(() -> messages("count_tokens", "/v1/messages/count_tokens"))),
        path(segment("v1").slash("models"), () -> get(() -> extractRequest(req ->
            completeWithFuture(authenticated(req, key -> CompletableFuture.completedFuture(models(key))))))),
        // The key holder's own usage and remaining limits, by the key itself.
        path(segment("v1").slash("key-usage"), () -> get(() -> extractRequest(req ->
            completeWithFuture(authenticated(req, keyUsage::usage))))),
        // Claude Code's telemetry sink when pointed at a relay: accepted and dropped.
        path(segment("api").slash("event_logging").slash("batch"),
            () -> post(() -> complete(JsonResponses.ok(JsonResponses.MAPPER.createObjectNode())))));
  }

  private Route postOnly(Supplier<Route> inner) {
    return concat(post(inner), complete(POST_ONLY));
  }

  private Route messages(String endpoint, String upstreamPath) {
    return extractRequest(req -> {
      if (drain.draining()) {
        // Nothing happened yet, so a balancer may retry this on another node.
        req.discardEntityBytes(materializer);
        return complete(AnthropicErrorResponses.withRetryAfter(503, "this relay node is shutting down; retry", 1)
            .addHeader(org.apache.pekko.http.javadsl.model.headers.Connection.create("close")));
      }
      // A revoked or deleted key's call is refused by its policy after the body is read, so that the refusal
      // is recorded in the key's ledger like every other.
      return completeWithFuture(identified(req, key -> readAndRelay(req, key, endpoint, upstreamPath)));
    });
  }

  private CompletionStage<HttpResponse> authenticated(
      HttpRequest req, java.util.function.Function<KeyEntry, CompletionStage<HttpResponse>> next) {
    return identified(req, key -> {
      if (!key.active()) {
        req.discardEntityBytes(materializer);
        return done(AnthropicErrorResponses.of(401, key.status() == KeyStatus.DELETED
            ? StaticPolicy.DELETED_MESSAGE : StaticPolicy.REVOKED_MESSAGE));
      }
      return next.apply(key);
    });
  }

  /** The key the request names, active or not; 401 for a missing or unknown key. */
  private CompletionStage<HttpResponse> identified(
      HttpRequest req, java.util.function.Function<KeyEntry, CompletionStage<HttpResponse>> next) {
    Optional<String> plain = ClientKeys.from(req);
    if (plain.isEmpty()) {
      return done(AnthropicErrorResponses.of(401,
          "missing API key: send it in x-api-key or Authorization: Bearer"));
    }
    Optional<KeyEntry> key = ApiKeyFormat.isWellFormed(plain.get())
        ? keys.findByHash(ApiKeyFormat.hash(plain.get()))
        : Optional.empty();
    if (key.isEmpty()) {
      req.discardEntityBytes(materializer);
      return done(AnthropicErrorResponses.of(401, "invalid x-api-key"));
    }
    return next.apply(key.get());
  }

  private CompletionStage<HttpResponse> readAndRelay(HttpRequest req, KeyEntry key, String endpoint, String path) {
    long startedNanos = System.nanoTime();
    long startedAt = System.currentTimeMillis();
    long limit = settings.http().maxBodySize();
    long declared = req.entity().getContentLengthOption().orElse(0L);
    if (declared > limit) {
      // Read the body away before answering, so the client (still sending) sees the 413 rather than a
      // reset connection; a body far over the limit is not worth reading: answer and close.
      if (declared > 4 * limit) {
        req.discardEntityBytes(materializer);
        return done(tooLarge(limit).addHeader(org.apache.pekko.http.javadsl.model.headers.Connection.create("close")));
      }
      return req.discardEntityBytes(materializer).completionStage().thenApply(d -> tooLarge(limit));
    }
    return StrictEntities.of(req.entity(), settings.upstream().bodyTimeout().toMillis(), limit, materializer)
        .thenCompose(strict -> {
          MessagesRequest parsed;
          try {
            parsed = MessagesRequest.parse(strict.getData().toArrayUnsafe());
          } catch (InvalidRequestException e) {
            return done(AnthropicErrorResponses.of(400, "invalid_request_error", e.getMessage()));
          }
          String requestId = requestIds.next().toString();
          RelayCall call = new RelayCall(
              requestId,
              key,
              PLATFORM,
              endpoint,
              path,
              ClientKeys.queryWithoutKey(req),
              toList(req.getHeaders()),
              strict.getContentType(),
              strict.getData(),
              parsed,
              SessionKeys.claude(name -> req.getHeader(name).map(HttpHeader::value).orElse(null), parsed.json(),
                  key.id()),
              req.getHeader("user-agent").map(HttpHeader::value).orElse(null),
              startedAt,
              startedNanos);
          return relay.relay(call, facts(call, key, strict.getData().size()));
        })
        .exceptionally(failure -> {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (cause instanceof EntityStreamSizeException) {
            return tooLarge(limit);
          }
          log.warn("could not read a request body: {}", cause.toString());
          return AnthropicErrorResponses.of(400, "invalid_request_error", "the request body could not be read");
        });
  }

  /** What the key's policy and limits judge the request by, with the estimate admission reserves. */
  private RequestFacts facts(RelayCall call, KeyEntry key, long bodyBytes) {
    String model = call.request().model();
    boolean generates = call.endpoint().equals("messages");
    double rate = settings.pricing().serviceRate(PLATFORM) * key.serviceRate(PLATFORM);
    long maxTokens = call.request().maxTokens();
    return new RequestFacts(PLATFORM, ClientPaths.ANTHROPIC, model, clients.recognize(call.userAgent()).kind(),
        generates
            ? CostEstimate.ratedMicros(prices.current().price(model, prices.fallbackModel()).price(), maxTokens,
                bodyBytes, rate)
            : 0,
        generates ? CostEstimate.tokens(maxTokens, bodyBytes) : 0);
  }

  private static HttpResponse tooLarge(long limit) {
    return AnthropicErrorResponses.of(413, "request_too_large",
        "request body exceeds the relay's limit of " + limit + " bytes");
  }

  private HttpResponse models(KeyEntry key) {
    ObjectNode body = JsonResponses.MAPPER.createObjectNode();
    ArrayNode data = body.putArray("data");
    List<String> claude = prices.current().models().stream()
        .filter(m -> m.startsWith("claude-") && !m.contains(":") && !m.contains("/"))
        .filter(m -> key.settings().access().allowsModel(m))
        .toList();
    for (String id : claude) {
      data.addObject().put("type", "model").put("id", id).put("display_name", id)
          .put("created_at", "1970-01-01T00:00:00Z");
    }
    body.put("has_more", false);
    body.put("first_id", claude.isEmpty() ? null : claude.get(0));
    body.put("last_id", claude.isEmpty() ? null : claude.get(claude.size() - 1));
    return JsonResponses.ok(body);
  }

  private static List<HttpHeader> toList(Iterable<HttpHeader> headers) {
    List<HttpHeader> out = new java.util.ArrayList<>();
    headers.forEach(out::add);
    return out;
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
