package dev.relaycluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The endpoints the Droid CLI's custom models point at ({@code ~/.factory/config.json}), under {@code /droid}:
 * Anthropic Messages at {@code claude/v1/messages} (and {@code messages/count_tokens}), OpenAI Responses at
 * {@code openai/v1/responses}, Chat Completions at {@code comm/v1/chat/completions}, and each one's
 * {@code v1/models} in its dialect's list format. The pool: {@link DroidPoolChoice}. Any other method is 405 in
 * the dialect.
 */
final class DroidRoutes extends AllDirectives {
  private static final Dialect ANTHROPIC = AnthropicDialect.INSTANCE;
  private static final Dialect RESPONSES = ResponsesDialect.INSTANCE;
  private static final Dialect CHAT = ChatDialect.INSTANCE;

  private final ClientRequests requests;
  private final Predicate<String> poolHasAccounts;
  private final Route route;

  /**
   * {@code openAiList}: OpenAI's model list across the key's pools (Chat clients'); {@code poolHasAccounts}:
   * whether a pool has accounts on this node's view.
   */
  DroidRoutes(ClientRequests requests, ModelLists models,
      Function<HttpRequest, CompletionStage<HttpResponse>> openAiList, Predicate<String> poolHasAccounts) {
    this.requests = requests;
    this.poolHasAccounts = poolHasAccounts;
    this.route = pathPrefix("droid", () -> concat(
        pathPrefix(segment("claude").slash("v1"), () -> concat(
            path("messages", () -> post(ANTHROPIC, RelayRoutes.CLAUDE, AnthropicDialect.MESSAGES)),
            path(segment("messages").slash("count_tokens"),
                () -> post(ANTHROPIC, RelayRoutes.CLAUDE, AnthropicDialect.COUNT_TOKENS)),
            path("models", () -> get(() -> extractRequest(req -> completeWithFuture(requests.authenticated(req,
                ANTHROPIC, key -> ClientRequests.done(models.anthropic(key))))))))),
        pathPrefix(segment("openai").slash("v1"), () -> concat(
            path("responses", () -> post(RESPONSES, RelayRoutes.OPENAI, ResponsesDialect.RESPONSES)),
            path("models", () -> get(() -> extractRequest(req -> completeWithFuture(requests.authenticated(req,
                RESPONSES, key -> ClientRequests.done(models.openai(key))))))))),
        pathPrefix(segment("comm").slash("v1"), () -> concat(
            path(segment("chat").slash("completions"), () -> post(CHAT, null, ChatDialect.COMPLETIONS)),
            path("models", () -> get(() -> extractRequest(req -> completeWithFuture(openAiList.apply(req)))))))));
  }

  Route route() {
    return route;
  }

  /** POST relays the endpoint ({@code home}: the path's pool for a model the map does not name); else 405. */
  private Route post(Dialect dialect, String home, String endpoint) {
    HttpResponse postOnly = DialectResponses.error(dialect, ErrorKind.METHOD_NOT_ALLOWED, "method not allowed: use POST");
    return concat(
        post(() -> extractRequest(req -> completeWithFuture(
            requests.relayDroid(req, dialect, home, endpoint, () -> poolHasAccounts.test(DroidPoolChoice.DROID))))),
        complete(postOnly));
  }
}
