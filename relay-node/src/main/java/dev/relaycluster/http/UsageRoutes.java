package dev.relaycluster.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.admin.AdminInputException;
import dev.relaycluster.admin.UsageAdmin;
import dev.relaycluster.usage.CsvExport;
import dev.relaycluster.usage.LedgerMaintenance;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage ledger's admin endpoints, mounted inside the authenticated admin API (/admin/api/usage/…):
 * request log, aggregates (JSON, or CSV with {@code ?format=csv} or a {@code .csv} path), account summary,
 * dashboard, price table, re-pricing and rebuild. Errors are {"error":{"type","message"}}.
 */
public final class UsageRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(UsageRoutes.class);
  private static final long MAX_BODY = 64 * 1024;

  private final UsageAdmin usage;
  private final Materializer materializer;

  public UsageRoutes(UsageAdmin usage, Materializer materializer) {
    this.usage = usage;
    this.materializer = materializer;
  }

  public Route route() {
    return pathPrefix("usage", () -> concat(
        path("requests", () -> get(() -> parameterMap(p -> completeWithFuture(handle(requests(p, csv(p))))))),
        path("requests.csv", () -> get(() -> parameterMap(p -> completeWithFuture(handle(requests(p, true)))))),
        path("aggregates", () -> get(() -> parameterMap(p -> completeWithFuture(handle(aggregates(p, csv(p))))))),
        path("aggregates.csv", () -> get(() -> parameterMap(p -> completeWithFuture(handle(aggregates(p, true)))))),
        path("accounts", () -> get(() -> parameterMap(p -> completeWithFuture(handle(
            usage.accounts(p).thenApply(rows -> JsonResponses.ok(Map.of("zone", usage.zone().getId(), "data", rows)))))))),
        path("dashboard", () -> get(() -> completeWithFuture(handle(usage.dashboard().thenApply(JsonResponses::ok))))),
        path("prices", () -> get(() -> complete(JsonResponses.ok(usage.prices())))),
        path("reprice", () -> post(() -> extractRequest(req -> completeWithFuture(handle(
            json(req).thenCompose(usage::reprice).thenApply(JsonResponses::ok)))))),
        path("rebuild", () -> post(() -> completeWithFuture(handle(
            usage.rebuild().thenApply(r -> JsonResponses.of(202, r))))))));
  }

  private static boolean csv(Map<String, String> p) {
    return "csv".equals(p.get("format"));
  }

  private CompletionStage<HttpResponse> requests(Map<String, String> p, boolean csv) {
    String format = p.get("format");
    if (format != null && !format.equals("csv") && !format.equals("json")) {
      return java.util.concurrent.CompletableFuture.failedFuture(AdminInputException.invalid("format: csv or json"));
    }
    return usage.requests(p, csv).thenApply(page -> csv
        ? csvResponse("requests.csv", CsvExport.requests(page.data()))
        : JsonResponses.ok(page));
  }

  private CompletionStage<HttpResponse> aggregates(Map<String, String> p, boolean csv) {
    String format = p.get("format");
    if (format != null && !format.equals("csv") && !format.equals("json")) {
      return java.util.concurrent.CompletableFuture.failedFuture(AdminInputException.invalid("format: csv or json"));
    }
    return usage.aggregates(p).thenApply(rows -> csv
        ? csvResponse("aggregates.csv", CsvExport.aggregates(rows))
        : JsonResponses.ok(Map.of("zone", usage.zone().getId(), "data", rows)));
  }

  private static HttpResponse csvResponse(String name, String body) {
    return HttpResponse.create()
        .withEntity(HttpEntities.create(MediaTypes.TEXT_CSV.toContentType(HttpCharsets.UTF_8), body))
        .addHeader(RawHeader.create("content-disposition", "attachment; filename=\"" + name + "\""));
  }

  private CompletionStage<JsonNode> json(HttpRequest req) {
    return req.entity().toStrict(10_000, MAX_BODY, materializer).thenApply(strict -> {
      try {
        JsonNode node = JsonResponses.MAPPER.readTree(strict.getData().toArrayUnsafe());
        if (node == null || !node.isObject()) {
          throw AdminInputException.invalid("the body must be a JSON object");
        }
        return node;
      } catch (IOException e) {
        throw AdminInputException.invalid("the body is not valid JSON");
      }
    });
  }

  /** Turns a failed call into its JSON error; unexpected failures are logged, not shown. */
  private static CompletionStage<HttpResponse> handle(CompletionStage<HttpResponse> call) {
    return call.exceptionally(failure -> {
      Throwable cause = failure;
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof AdminInputException e) {
        return JsonResponses.error(400, "invalid_request_error", e.getMessage());
      }
      if (cause instanceof LedgerMaintenance.BusyException e) {
        return JsonResponses.error(409, "conflict_error", e.getMessage());
      }
      log.error("usage admin call failed", cause);
      return JsonResponses.error(500, "api_error", "internal error");
    });
  }
}
