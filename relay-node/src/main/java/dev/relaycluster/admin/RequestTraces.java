package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.relay.TraceBook;
import dev.relaycluster.usage.UsageQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Why a request went where it went: the decision trace from the node that served it (kept in memory
 * for its last requests) together with the request's ledger row. A request whose trace is gone (its node
 * restarted, or it is older than what nodes keep) still has its ledger row; one with neither is unknown.
 */
public final class RequestTraces {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TraceBook traces;
  private final UsageQueries queries;

  public RequestTraces(TraceBook traces, UsageQueries queries) {
    this.traces = traces;
    this.queries = queries;
  }

  /** The trace and ledger row of a request, or empty when neither exists. */
  public CompletionStage<Optional<ObjectNode>> trace(String requestId) {
    if (requestId.isBlank() || requestId.length() > 200) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          AdminInputException.invalid("a request id is at most 200 characters"));
    }
    return traces.find(requestId).thenCombine(queries.request(requestId), (trace, row) -> {
      if (trace.isEmpty() && row.isEmpty()) {
        return Optional.<ObjectNode>empty();
      }
      ObjectNode out = JSON.createObjectNode().put("requestId", requestId).put("traceKept", trace.isPresent());
      out.set("trace", trace.map(RequestTraces::parse).orElse(null));
      out.putPOJO("ledger", row.orElse(null));
      return Optional.of(out);
    });
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
