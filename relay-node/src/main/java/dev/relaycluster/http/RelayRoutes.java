package dev.relaycluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpRequest;
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
 * OpenAI Chat Completions under /v1, /openai/v1, /api/v1 and the pinned /openai/claude/v1 and
 * /openai/gemini/v1 ({@link ChatRoutes}). The Droid CLI's three under /droid ({@link DroidRoutes}). GET
 * v1/models at the root and under /api answers Anthropic's list to
 * Anthropic clients and OpenAI's list across the key's pools to others; under /openai (and at /v1 for
 * non-Anthropic clients) OpenAI's list, the OpenAI pool's alone for Codex.
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
  private final ChatRoutes chat;
  private final DroidRoutes droid;
  /** The Anthropic API at the root and under /api, whose model list is OpenAI's for clients that are not Anthropic's. */
  private final Route anthropicApi;
  /** The Anthropic API under /claude: always Anthropic's model list. */
  private final Route claudeApi;
  private final Route responsesApi;
  private final Route geminiPrefixed;
  private final Route geminiPublic;

  /** {@code responsesSocket} answers a WebSocket upgrade on the Responses paths (or rejects). */
  public RelayRoutes(ClientRequests requests, ModelLists models, KeyUsageRoutes keyUsage, Route responsesSocket) {
    this(requests, models, keyUsage, responsesSocket, key -> List.of());
  }

  /**
   * {@code modelAliases}: the names the model map lets a key ask for besides the priced models, listed by the
   * OpenAI model lists of Chat clients.
   */
  public RelayRoutes(ClientRequests requests, ModelLists models, KeyUsageRoutes keyUsage, Route responsesSocket,
      Function<KeyEntry, Collection<String>> modelAliases) {
    this(requests, models, keyUsage, responsesSocket, modelAliases, pool -> false);
  }

  /**
   * {@code poolHasAccounts}: whether a pool has accounts (the Droid paths prefer the droid pool when it has,
   * {@link DroidRoutes}).
   */
  public RelayRoutes(ClientRequests requests, ModelLists models, KeyUsageRoutes keyUsage, Route responsesSocket,
      Function<KeyEntry, Collection<String>> modelAliases, java.util.function.Predicate<String> poolHasAccounts) {
    this.requests = requests;
    this.models = models;
    this.keyUsage = keyUsage;
    this.responsesSocket = responsesSocket;
    this.chat = new ChatRoutes(requests, models, modelAliases);
    this.droid = new DroidRoutes(requests, models, chat::models, poolHasAccounts);
    this.anthropicApi = anthropicApi(true);
    this.claudeApi = anthropicApi(false);
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
                "openaiChat", "/v1/chat/completions",
                "gemini", "/gemini/v1beta/models/{model}:generateContent")))))),
        keyUsage.crsRoute(),
        droid.route(),
        chat.route(),
        pathPrefix("api", () -> anthropicApi),
        pathPrefix("claude", () -> claudeApi),
        pathPrefix("openai", () -> concat(pathPrefix("v1", () -> responsesApi), responsesApi)),
        pathPrefix("gemini", () -> geminiPrefixed),
        anthropicApi,
        pathPrefix("v1", () -> responsesApi),
        pathPrefix("v1beta", () -> geminiPublic));
  }

  /**
   * {@code sharedModels}: the mount is the root or /api, where OpenAI-style clients call {@code v1/models} too;
   * a request that is not an Anthropic client's then gets OpenAI's list across the key's pools.
   */
  private Route anthropicApi(boolean sharedModels) {
    return concat(
        path(segment("v1").slash("messages"), () -> post(ANTHROPIC, CLAUDE, AnthropicDialect.MESSAGES)),
        path(segment("v1").slash("messages").slash("count_tokens"),
            () -> post(ANTHROPIC, CLAUDE, AnthropicDialect.COUNT_TOKENS)),
        path(segment("v1").slash("models"), () -> get(() -> extractRequest(req -> completeWithFuture(
            sharedModels && !anthropicClient(req) ? openAiModels(req)
                : requests.authenticated(req, ANTHROPIC, key -> done(models.anthropic(key))))))),
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
        path("models", () -> get(() -> extractRequest(req -> completeWithFuture(openAiModels(req))))));
  }

  /** Codex sends ?client_version=… and gets the OpenAI pool's list; other clients the list across their pools. */
  private CompletionStage<HttpResponse> openAiModels(HttpRequest req) {
    return req.getUri().query().get("client_version").isPresent()
        ? requests.authenticated(req, RESPONSES, key -> done(models.openai(key)))
        : chat.models(req);
  }

  /**
   * Whether a request comes from an Anthropic client: the Anthropic SDKs and Claude Code always send
   * {@code anthropic-version}, and only Anthropic's API takes the key in {@code x-api-key}.
   */
  private static boolean anthropicClient(HttpRequest req) {
    return req.getHeader("anthropic-version").isPresent() || req.getHeader("x-api-key").isPresent();
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
