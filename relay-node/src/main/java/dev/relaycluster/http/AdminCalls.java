package dev.relaycluster.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.OAuthException;
import dev.relaycluster.admin.AdminInputException;
import dev.relaycluster.admin.AdminRefusal;
import dev.relaycluster.protocol.util.Utf16;
import dev.relaycluster.relay.RelayFlow;
import dev.relaycluster.store.StorageOutages;
import dev.relaycluster.upstream.StrictEntities;
import dev.relaycluster.usage.LedgerMaintenance;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
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

  /**
   * The request body as a JSON object; fails with a 400-bound {@link AdminInputException} otherwise, and with
   * pekko-http's entity errors for a body over {@code maxBytes} (413) or one that breaks off (400).
   */
  static CompletionStage<JsonNode> jsonObject(HttpRequest req, long maxBytes, Materializer materializer) {
    return StrictEntities.of(req.entity(), BODY_TIMEOUT_MILLIS, maxBytes, materializer).thenApply(strict -> {
      try {
        // Trailing garbage after the object ({"name":"a"} "x") is refused, as the relay's dialects refuse it.
        JsonNode node = STRICT.readTree(strict.getData().toArrayUnsafe());
        if (node == null || !node.isObject()) {
          throw AdminInputException.invalid("the body must be a JSON object");
        }
        if (!wellFormed(node)) {
          // What the admin API keeps goes into events, whose writer refuses such text.
          throw AdminInputException.invalid("the body is not valid JSON: a string holds an unpaired surrogate");
        }
        return node;
      } catch (IOException e) {
        throw AdminInputException.invalid("the body is not valid JSON");
      }
    });
  }

  /** Whether every string and field name in {@code node} is well-formed UTF-16 (no surrogate without its pair). */
  private static boolean wellFormed(JsonNode node) {
    if (node.isTextual()) {
      return Utf16.wellFormed(node.textValue());
    }
    for (var field : node.properties()) {
      if (!Utf16.wellFormed(field.getKey()) || !wellFormed(field.getValue())) {
        return false;
      }
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (!wellFormed(element)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Turns a failed admin call into its JSON error; unexpected failures are logged, not shown. */
  static CompletionStage<HttpResponse> withErrors(CompletionStage<HttpResponse> call) {
    return call.exceptionally(AdminCalls::error);
  }

  /**
   * The JSON error for a failed admin call. An outage (database or TTL store unreachable, an entity that
   * did not answer because its journal is down) is 503 {@code overloaded_error} with {@code retry-after};
   * anything unexpected is 500. Both carry a request id that the node's log line names too.
   */
  static HttpResponse error(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof AdminInputException e) {
      return e.notFound()
          ? JsonResponses.error(404, "not_found_error", e.getMessage())
          : JsonResponses.error(400, "invalid_request_error", e.getMessage());
    }
    if (cause instanceof AdminRefusal e) {
      return JsonResponses.error(e.status(), "conflict_error", e.getMessage());
    }
    // The request body: over the route's limit (sized or chunked), or broken off or mis-framed by the client.
    if (StrictEntities.tooLarge(cause)) {
      return JsonResponses.error(413, "request_too_large", "the request body is larger than this call accepts");
    }
    if (cause instanceof EntityStreamException) {
      return JsonResponses.error(400, "invalid_request_error", "the request body could not be read");
    }
    if (cause instanceof OAuthException e) {
      return e.rejected()
          ? JsonResponses.error(400, "invalid_request_error", e.getMessage())
          : JsonResponses.error(502, "api_error", e.getMessage());
    }
    if (cause instanceof dev.relaycluster.admin.crs.CrsUnreachable e) {
      return JsonResponses.error(502, "api_error", e.getMessage());
    }
    if (cause instanceof StatusReply.ErrorMessage || cause instanceof LedgerMaintenance.BusyException) {
      return JsonResponses.error(409, "conflict_error", cause.getMessage());
    }
    if (StorageOutages.isOutage(cause)) {
      String id = RequestIds.fresh();
      boolean timedOut = cause instanceof TimeoutException || cause instanceof AskTimeoutException;
      log.warn("admin call {} refused, storage unavailable: {}", id, cause.toString());
      return JsonResponses.error(503, "overloaded_error", timedOut
              ? "the cluster did not answer in time; retry"
              : "storage is unavailable; retry shortly")
          .addHeader(RawHeader.create("retry-after", Long.toString(StorageOutages.RETRY_AFTER_SECONDS)))
          .addHeader(RawHeader.create(RelayFlow.REQUEST_ID_HEADER, id));
    }
    String id = RequestIds.fresh();
    log.error("admin call {} failed", id, cause);
    return JsonResponses.error(500, "api_error", "internal error (request " + id + ")")
        .addHeader(RawHeader.create(RelayFlow.REQUEST_ID_HEADER, id));
  }
}
