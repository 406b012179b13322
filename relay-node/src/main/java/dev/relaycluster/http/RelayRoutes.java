package dev.relaycluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Mounts each dialect's client endpoints. Anthropic Messages under /api, /claude and the root:
 * POST v1/messages (any query such as ?beta=true), POST v1/messages/count_tokens, GET v1/models, a quick
 * HEAD /. OpenAI Responses (Codex CLI) under /openai and /openai/v1 (and the root /v1 for SDKs):
 * POST responses, POST responses/compact, GET models, and the Responses WebSocket on GET responses.
 * Gemini (public API and Code Assist) under /gemini and the root /v1beta ({@link GeminiRoutes}).
 */
public final class RelayRoutes extends AllDirectives {
  static final String CLAUDE = "claude";
  static final String OPENAI = "openai";
  private static final Dialect ANTHROPIC = AnthropicDialect.INSTANCE;
  private static final Dialect RESPONSES = ResponsesDialect.INSTANCE;

  /** Built once: a directive's inner route is supplied again for every request that reaches it. */
  private static final HttpResponse ANTHROPIC_POST_ONLY = postOnly(ANTHROPIC);
  private static final HttpResponse RESPONSES_POST_ONLY = postOnly(RESPONSES);

  private final ClientRequests requests;
  private final ModelLists models;
  private final KeyUsageRoutes keyUsage;
  private final Route responsesSocket;
  private final Route anthropicApi;
  private final Route responsesApi;
  private final Route geminiPrefixed;
  private final Route geminiPublic;

  /** {@code responsesSocket} answers a WebSocket upgrade on the Responses paths (or rejects). */
  public RelayRoutes(ClientRequests requests, ModelLists models, KeyUsageRoutes keyUsage, Route responsesSocket) {
    this.requests = requests;
    this.models = models;
    this.keyUsage = keyUsage;
    this.responsesSocket = responsesSocket;
    this.anthropicApi = anthropicApi();
    this.responsesApi = responsesApi();
    GeminiRoutes gemini = new GeminiRoutes(requests, models);
    this.geminiPrefixed = gemini.prefixed();
    this.geminiPublic = gemini.publicApi();
  }

  public Route route() {
    return concat(
        pathSingleSlash(() -> concat(
            head(() -> complete(StatusCodes.OK)),
            // A browser opening the relay's address lands on the admin UI; API clients get the service map.
            headerValueByName("accept", accept -> accept.contains("text/html")
                ? redirect(Uri.create("/admin/"), StatusCodes.FOUND)
                : reject()),
            get(() -> complete(JsonResponses.ok(Map.of(
                "service", "relay-cluster",
                "health", "/health",
                "admin", "/admin/",
                "adminApi", "/admin/api",
                "anthropic", "/api/v1/messages",
                "openai", "/openai/v1/responses",
                "gemini", "/gemini/v1beta/models/{model}:generateContent")))))),
        keyUsage.crsRoute(),
        pathPrefix("api", () -> anthropicApi),
        pathPrefix("claude", () -> anthropicApi),
        pathPrefix("openai", () -> concat(pathPrefix("v1", () -> responsesApi), responsesApi)),
        pathPrefix("gemini", () -> geminiPrefixed),
        anthropicApi,
        pathPrefix("v1", () -> responsesApi),
        pathPrefix("v1beta", () -> geminiPublic));
  }

  private Route anthropicApi() {
    return concat(
        path(segment("v1").slash("messages"), () -> post(ANTHROPIC, CLAUDE, AnthropicDialect.MESSAGES)),
        path(segment("v1").slash("messages").slash("count_tokens"),
            () -> post(ANTHROPIC, CLAUDE, AnthropicDialect.COUNT_TOKENS)),
        path(segment("v1").slash("models"), () -> get(() -> extractRequest(req -> completeWithFuture(
            requests.authenticated(req, ANTHROPIC, key -> done(models.anthropic(key))))))),
        // The key holder's own usage and remaining limits, by the key itself.
        path(segment("v1").slash("key-usage"), () -> get(() -> extractRequest(req ->
            completeWithFuture(requests.authenticated(req, ANTHROPIC, keyUsage::usage))))),
        // Claude Code's telemetry sink when pointed at a relay: accepted and dropped.
        path(segment("api").slash("event_logging").slash("batch"),
            () -> post(() -> complete(JsonResponses.ok(JsonResponses.MAPPER.createObjectNode())))));
  }

  /** The Responses API under the prefix already matched ({@code /openai}, {@code /openai/v1}, {@code /v1}). */
  private Route responsesApi() {
    return concat(
        path("responses", () -> concat(
            responsesSocket,
            post(RESPONSES, OPENAI, ResponsesDialect.RESPONSES))),
        path(segment("responses").slash("compact"), () -> post(RESPONSES, OPENAI, ResponsesDialect.COMPACT)),
        // Codex sends ?client_version=…; any query is accepted.
        path("models", () -> get(() -> extractRequest(req -> completeWithFuture(
            requests.authenticated(req, RESPONSES, key -> done(models.openai(key))))))));
  }

  /** POST relays the endpoint; any other method gets 405 in the dialect. */
  private Route post(Dialect dialect, String pool, String endpoint) {
    return concat(
        post(() -> extractRequest(req -> completeWithFuture(requests.relay(req, dialect, pool, endpoint)))),
        complete(dialect == ANTHROPIC ? ANTHROPIC_POST_ONLY : RESPONSES_POST_ONLY));
  }

  private static HttpResponse postOnly(Dialect dialect) {
    return DialectResponses.error(dialect, ErrorKind.METHOD_NOT_ALLOWED, "method not allowed: use POST");
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
