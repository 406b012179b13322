package dev.relaycluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.remaining;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.gemini.GeminiEndpoint;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The Gemini dialect's client endpoints. Under {@code /gemini} (Gemini CLI's base URL in both modes): the
 * public API {@code v1beta|v1/models/{model}:generateContent|streamGenerateContent|countTokens} and
 * {@code GET v1beta|v1/models}, and Code Assist {@code v1internal:{method}} and
 * {@code GET v1internal/operations/…}. At the root, the public API under {@code /v1beta} for SDKs.
 * Every answer and error is in Gemini's shape.
 */
final class GeminiRoutes extends AllDirectives {
  static final String GEMINI = "gemini";
  private static final GeminiDialect DIALECT = GeminiDialect.INSTANCE;
  private static final String CODE_ASSIST = "v1internal:";

  /** Built once: a directive's inner route is supplied again for every request that reaches it. */
  private static final HttpResponse POST_ONLY =
      DialectResponses.error(DIALECT, ErrorKind.METHOD_NOT_ALLOWED, "method not allowed: use POST");

  private final ClientRequests requests;
  private final ModelLists models;
  private final Route publicApi;
  private final Route prefixed;

  GeminiRoutes(ClientRequests requests, ModelLists models) {
    this.requests = requests;
    this.models = models;
    this.publicApi = buildPublicApi();
    this.prefixed = concat(
        pathPrefix("v1beta", () -> publicApi),
        pathPrefix("v1", () -> publicApi),
        codeAssist());
  }

  /** Everything under {@code /gemini}. */
  Route prefixed() {
    return prefixed;
  }

  /** The public API, under the version prefix already matched ({@code /v1beta} at the root). */
  Route publicApi() {
    return publicApi;
  }

  private Route buildPublicApi() {
    return concat(
        path("models", () -> get(() -> extractRequest(req -> completeWithFuture(
            requests.authenticated(req, DIALECT, key -> ClientRequests.done(models.gemini(key))))))),
        path(segment("models").slash(segment()), call -> {
          int colon = call.lastIndexOf(':');
          if (colon < 0) {
            // models/{model}: one model's entry.
            return get(() -> extractRequest(req -> completeWithFuture(requests.authenticated(req, DIALECT,
                key -> ClientRequests.done(models.geminiModel(key, call))))));
          }
          String model = call.substring(0, colon);
          if (!GeminiEndpoint.plainModel(model)) {
            // As Google answers it; such a name would not even make an upstream URL.
            return complete(DialectResponses.error(DIALECT, ErrorKind.INVALID_REQUEST,
                "* GenerateContentRequest.model: unexpected model name format"));
          }
          return relay(GeminiEndpoint.parse(GeminiEndpoint.ofModel(model, call.substring(colon + 1))),
              "models/" + call);
        }));
  }

  /** {@code v1internal:{method}} (POST) and {@code v1internal/operations/…} (GET). */
  private Route codeAssist() {
    return concat(
        path(segment(), call -> call.startsWith(CODE_ASSIST)
            ? relay(GeminiEndpoint.parse(call), call)
            : reject()),
        pathPrefix(segment("v1internal").slash("operations"), () -> path(remaining(), rest -> get(() ->
            extractRequest(req -> completeWithFuture(requests.relay(req, DIALECT, GEMINI,
                GeminiEndpoint.ofOperation("operations/" + rest))))))));
  }

  private Route relay(Optional<GeminiEndpoint> endpoint, String called) {
    if (endpoint.isEmpty()) {
      return complete(DialectResponses.error(DIALECT, ErrorKind.NOT_FOUND, "method not found: "
          + (called.length() > 100 ? called.substring(0, 100) + "…" : called)
          + " is not a Gemini method this relay serves"));
    }
    String name = endpoint.get().name();
    return concat(
        post(() -> extractRequest(req -> completeWithFuture(requests.relay(req, DIALECT, GEMINI, name)))),
        complete(POST_ONLY));
  }
}
