package dev.relaycluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.openai.ChatDialect;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * OpenAI Chat Completions as a client dialect, in front of every pool. {@code POST chat/completions} under
 * {@code /v1}, {@code /openai/v1}, {@code /openai} and {@code /api/v1} goes to the pool the model names
 * (the model map; no home pool), and under the pinned {@code /openai/claude/v1} and {@code /openai/gemini/v1}
 * to that pool whatever the name. Any other method is 405, and every error is in OpenAI's shape. The model
 * list ({@link #models}) is OpenAI's, across the key's pools (only the pinned pool on a pinned path).
 */
final class ChatRoutes extends AllDirectives {
  private static final ChatDialect DIALECT = ChatDialect.INSTANCE;

  /** Built once: a directive's inner route is supplied again for every request that reaches it. */
  private static final HttpResponse POST_ONLY =
      DialectResponses.error(DIALECT, ErrorKind.METHOD_NOT_ALLOWED, "method not allowed: use POST");

  private final ClientRequests requests;
  private final ModelLists models;
  private final Function<KeyEntry, Collection<String>> aliases;
  private final Route route;

  /** {@code aliases}: the model map's names a key may ask for, listed after the priced models. */
  ChatRoutes(ClientRequests requests, ModelLists models, Function<KeyEntry, Collection<String>> aliases) {
    this.requests = requests;
    this.models = models;
    this.aliases = aliases;
    this.route = concat(
        pathPrefix("openai", () -> concat(
            pathPrefix(segment(RelayRoutes.CLAUDE).slash("v1"), () -> pinned(RelayRoutes.CLAUDE)),
            pathPrefix(segment(GeminiRoutes.GEMINI).slash("v1"), () -> pinned(GeminiRoutes.GEMINI)),
            pathPrefix("v1", () -> completions(null)),
            completions(null))),
        pathPrefix(segment("api").slash("v1"), () -> completions(null)),
        pathPrefix("v1", () -> completions(null)));
  }

  /** Every Chat path; mounted at the root before the other dialects' routes. */
  Route route() {
    return route;
  }

  /** OpenAI's model list across the request's key's pools; 401 in OpenAI's shape without a usable key. */
  CompletionStage<HttpResponse> models(HttpRequest req) {
    return requests.authenticated(req, DIALECT, key -> ClientRequests.done(models.openaiAll(key, aliases.apply(key))));
  }

  /** A pinned pool: its chat/completions, and its own model list. */
  private Route pinned(String pool) {
    return concat(
        completions(pool),
        path("models", () -> get(() -> extractRequest(req -> completeWithFuture(requests.authenticated(req, DIALECT,
            key -> ClientRequests.done(models.openaiOf(key, pool))))))));
  }

  /** {@code chat/completions} under the prefix already matched, to {@code pool} (null: the model decides). */
  private Route completions(String pool) {
    return path(segment("chat").slash("completions"), () -> concat(
        post(() -> extractRequest(req -> completeWithFuture(
            pool == null ? requests.relay(req, DIALECT, null, ChatDialect.COMPLETIONS)
                : requests.relayPinned(req, DIALECT, pool, ChatDialect.COMPLETIONS)))),
        complete(POST_ONLY)));
  }
}
