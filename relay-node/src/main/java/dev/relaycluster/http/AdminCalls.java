package dev.relaycluster.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.OAuthException;
import dev.relaycluster.admin.AdminInputException;
import dev.relaycluster.usage.LedgerMaintenance;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.AskTimeoutException;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every admin route does around its call: read a JSON object body, and turn failures into JSON errors. */
final class AdminCalls {
  private static final Logger log = LoggerFactory.getLogger(AdminCalls.class);
  private static final long BODY_TIMEOUT_MILLIS = 10_000;
  private static final com.fasterxml.jackson.databind.ObjectReader STRICT = JsonResponses.MAPPER.reader()
      .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private AdminCalls() {}

  /** The request body as a JSON object; fails with a 400-bound {@link AdminInputException} otherwise. */
  static CompletionStage<JsonNode> jsonObject(HttpRequest req, long maxBytes, Materializer materializer) {
    return req.entity().toStrict(BODY_TIMEOUT_MILLIS, maxBytes, materializer).thenApply(strict -> {
      try {
        // Trailing garbage after the object ({"name":"a"} "x") is refused, as the relay's dialects refuse it.
        JsonNode node = STRICT.readTree(strict.getData().toArrayUnsafe());
        if (node == null || !node.isObject()) {
          throw AdminInputException.invalid("the body must be a JSON object");
        }
        return node;
      } catch (IOException e) {
        throw AdminInputException.invalid("the body is not valid JSON");
      }
    });
  }

  /** Turns a failed admin call into its JSON error; unexpected failures are logged, not shown. */
  static CompletionStage<HttpResponse> withErrors(CompletionStage<HttpResponse> call) {
    return call.exceptionally(failure -> {
      Throwable cause = failure;
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof AdminInputException e) {
        return e.notFound()
            ? JsonResponses.error(404, "not_found_error", e.getMessage())
            : JsonResponses.error(400, "invalid_request_error", e.getMessage());
      }
      if (cause instanceof OAuthException e) {
        return e.rejected()
            ? JsonResponses.error(400, "invalid_request_error", e.getMessage())
            : JsonResponses.error(502, "api_error", e.getMessage());
      }
      if (cause instanceof StatusReply.ErrorMessage || cause instanceof LedgerMaintenance.BusyException) {
        return JsonResponses.error(409, "conflict_error", cause.getMessage());
      }
      if (cause instanceof TimeoutException || cause instanceof AskTimeoutException) {
        return JsonResponses.error(503, "overloaded_error", "the cluster did not answer in time; retry");
      }
      log.error("admin call failed", cause);
      return JsonResponses.error(500, "api_error", "internal error");
    });
  }
}
