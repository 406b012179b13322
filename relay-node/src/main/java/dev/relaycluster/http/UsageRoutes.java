package dev.relaycluster.http;

import static dev.relaycluster.http.AdminCalls.withErrors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.admin.AdminInputException;
import dev.relaycluster.admin.UsageAdmin;
import dev.relaycluster.usage.CsvExport;
import java.util.Map;
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

/**
 * The usage ledger's admin endpoints, mounted inside the authenticated admin API (/admin/api/usage/…):
 * request log, aggregates (JSON, or CSV with {@code ?format=csv} or a {@code .csv} path), account summary,
 * dashboard, price table, re-pricing and rebuild. Errors are {"error":{"type","message"}}.
 */
public final class UsageRoutes extends AllDirectives {
  private static final long MAX_BODY = 64 * 1024;

  private final UsageAdmin usage;
  private final Materializer materializer;

  public UsageRoutes(UsageAdmin usage, Materializer materializer) {
    this.usage = usage;
    this.materializer = materializer;
  }


  public Route route() {
    return pathPrefix("usage", () -> concat(
        path("requests", () -> get(() -> parameterMap(p -> completeWithFuture(withErrors(requests(p, csv(p))))))),
        path("requests.csv", () -> get(() -> parameterMap(p -> completeWithFuture(withErrors(requests(p, true)))))),
        path("aggregates", () -> get(() -> parameterMap(p -> completeWithFuture(withErrors(aggregates(p, csv(p))))))),
        path("aggregates.csv", () -> get(() -> parameterMap(p -> completeWithFuture(withErrors(aggregates(p, true)))))),
        path("accounts", () -> get(() -> parameterMap(p -> completeWithFuture(withErrors(
            usage.accounts(p).thenApply(rows -> JsonResponses.ok(Map.of("zone", usage.zone().getId(), "data", rows)))))))),
        path("dashboard", () -> get(() -> completeWithFuture(withErrors(usage.dashboard().thenApply(JsonResponses::ok))))),
        path("prices", () -> get(() -> complete(JsonResponses.ok(usage.prices())))),
        path("reprice", () -> post(() -> extractRequest(req -> completeWithFuture(withErrors(
            json(req).thenCompose(usage::reprice).thenApply(JsonResponses::ok)))))),
        path("rebuild", () -> post(() -> completeWithFuture(withErrors(
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
    return AdminCalls.jsonObject(req, MAX_BODY, materializer);
  }
}
