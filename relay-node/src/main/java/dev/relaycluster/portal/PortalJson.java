package dev.relaycluster.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.usage.RequestLogRow;
import java.time.Instant;
import java.util.List;

/**
 * The portal's pieces as JSON: no field is ever written as null (a value the key does not have is left out),
 * money is in micro-dollars (rated, as the key's limits count it), times are ISO-8601. A request row holds
 * only what its key holder may see: never the upstream account or its platform, the session hash or the pricing details;
 * its dialects ({@code clientDialect}, and {@code upstreamDialect} when the relay converted the request) are what
 * the holder's own choice of model and client decided.
 */
public final class PortalJson {
  private PortalJson() {}

  public static ArrayNode limits(List<LimitLine> lines) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (LimitLine l : lines) {
      ObjectNode n = out.addObject().put("name", l.name()).put("unit", l.unit());
      if (!l.name().equals("expiry")) {
        n.put("limit", l.limit()).put("used", l.used()).put("remaining", l.remaining());
      } else if (l.limit() > 0) {
        n.put("afterFirstUseMillis", l.limit());
      }
      if (l.resetsAt() > 0) {
        n.put("resetsAt", iso(l.resetsAt()));
      }
      if (l.windowMinutes() > 0) {
        n.put("windowMinutes", l.windowMinutes());
      }
      if (l.expiresAt() > 0) {
        n.put("expiresAt", iso(l.expiresAt()));
      }
      if (l.note() != null) {
        n.put("note", l.note());
      }
    }
    return out;
  }

  public static ArrayNode series(List<SeriesPoint> points) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (SeriesPoint p : points) {
      out.addObject().put("start", p.start()).put("requests", p.requests()).put("tokens", p.tokens())
          .put("costMicros", p.costMicros());
    }
    return out;
  }

  public static ArrayNode recent(List<RequestLogRow> rows) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (RequestLogRow r : rows) {
      ObjectNode n = out.addObject().put("requestId", r.requestId()).put("time", r.time())
          .put("model", r.servedModel() != null && !r.servedModel().isBlank() ? r.servedModel() : text(r.model()))
          .put("endpoint", text(r.endpoint())).put("stream", r.stream())
          .put("inputTokens", r.inputTokens()).put("outputTokens", r.outputTokens())
          .put("cacheReadTokens", r.cacheReadTokens()).put("cacheWriteTokens", r.cacheWriteTokens())
          .put("tokens", r.inputTokens() + r.outputTokens() + r.cacheReadTokens() + r.cacheWriteTokens())
          .put("costMicros", r.ratedCostMicros()).put("status", r.status()).put("outcome", text(r.outcome()))
          .put("complete", r.complete()).put("durationMs", r.durationMs());
      if (r.client() != null && !r.client().isBlank()) {
        n.put("client", r.client());
      }
      if (r.clientDialect() != null && !r.clientDialect().isBlank()) {
        n.put("clientDialect", r.clientDialect());
      }
      if (r.upstreamDialect() != null && !r.upstreamDialect().isBlank()) {
        n.put("upstreamDialect", r.upstreamDialect());
      }
    }
    return out;
  }

  public static ObjectNode setup(String baseUrl, boolean configured, List<SetupSnippet> snippets) {
    ObjectNode out = Json.mapper().createObjectNode().put("baseUrl", baseUrl).put("publicUrlConfigured", configured)
        .put("keyPlaceholder", SetupSnippets.KEY_PLACEHOLDER);
    ArrayNode list = out.putArray("snippets");
    for (SetupSnippet s : snippets) {
      ObjectNode n = list.addObject().put("client", s.client()).put("pool", s.pool());
      ArrayNode parts = n.putArray("parts");
      for (SetupSnippet.Part p : s.parts()) {
        ObjectNode part = parts.addObject().put("format", p.format());
        if (p.file() != null) {
          part.put("file", p.file());
        }
        part.put("text", p.text());
      }
    }
    return out;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  private static String iso(long at) {
    return Instant.ofEpochMilli(at).toString();
  }
}
