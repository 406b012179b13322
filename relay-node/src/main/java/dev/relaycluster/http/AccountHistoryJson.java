package dev.relaycluster.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.HealthHistory;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** {@code GET /admin/api/accounts/{id}/history}'s answer: {"data": [entries, newest first]}, no null fields. */
final class AccountHistoryJson {
  private AccountHistoryJson() {}

  static HttpResponse of(List<HealthHistory.Entry> entries) {
    ObjectNode out = JsonResponses.MAPPER.createObjectNode();
    ArrayNode data = out.putArray("data");
    for (HealthHistory.Entry e : entries) {
      ObjectNode row = data.addObject().put("at", Instant.ofEpochMilli(e.at()).toString()).put("kind", e.kind());
      if (e.family() != null) {
        row.put("family", e.family());
      }
      if (e.until() != null) {
        row.put("until", Instant.ofEpochMilli(e.until()).toString());
      }
      if (e.reason() != null) {
        row.put("reason", e.reason());
      }
      if (e.status() != null) {
        row.put("status", e.status());
      }
      if (e.utilisation() != null) {
        row.put("utilisation", e.utilisation());
      }
    }
    return JsonResponses.ok(out);
  }
}
