package dev.relaycluster.http;

import static dev.relaycluster.http.AdminCalls.withErrors;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.admin.AdminSession;
import dev.relaycluster.admin.WebhookAdmin;
import dev.relaycluster.alerts.AlertText;
import dev.relaycluster.alerts.Channel;
import dev.relaycluster.alerts.ChannelField;
import dev.relaycluster.alerts.DeliveryResult;
import dev.relaycluster.alerts.WebhookTargetView;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * The alert targets under /admin/api/webhooks (mounted by {@link AdminRoutes} after login): list,
 * create, read, update (PATCH), delete, enable, disable, {@code POST …/{id}/test}, which sends a
 * test alert and answers with the delivery result, and {@code GET …/channels}, each channel's config
 * fields. Secrets are masked in every answer.
 */
public final class WebhookRoutes extends AllDirectives {
  private static final long MAX_BODY = 64 * 1024;

  private final WebhookAdmin webhooks;
  private final Materializer materializer;

  public WebhookRoutes(WebhookAdmin webhooks, Materializer materializer) {
    this.webhooks = webhooks;
    this.materializer = materializer;
  }

  public Route route(AdminSession session, HttpRequest req) {
    return pathPrefix("webhooks", () -> concat(
        pathEnd(() -> concat(
            get(() -> completeWithFuture(withErrors(webhooks.list()
                .thenApply(list -> JsonResponses.ok(Map.of("data", list.stream().map(WebhookRoutes::target).toList())))))),
            post(() -> completeWithFuture(withErrors(json(req).thenCompose(webhooks::create)
                .thenApply(t -> JsonResponses.of(201, target(t)))))))),
        path("channels", () -> get(() -> complete(JsonResponses.ok(Map.of("data", channels()))))),
        pathPrefix(PathMatchers.segment(), id -> concat(
            pathEnd(() -> concat(
                get(() -> completeWithFuture(withErrors(webhooks.get(id).thenApply(t -> JsonResponses.ok(target(t)))))),
                patch(() -> completeWithFuture(withErrors(json(req).thenCompose(body -> webhooks.update(id, body))
                    .thenApply(t -> JsonResponses.ok(target(t)))))),
                delete(() -> completeWithFuture(withErrors(webhooks.get(id).thenCompose(t -> webhooks.delete(id)
                    .thenApply(v -> JsonResponses.ok(Map.of("id", id, "name", t.name(), "deleted", true))))))))),
            path("enable", () -> post(() -> completeWithFuture(withErrors(webhooks.setEnabled(id, true)
                .thenApply(t -> JsonResponses.ok(target(t))))))),
            path("disable", () -> post(() -> completeWithFuture(withErrors(webhooks.setEnabled(id, false)
                .thenApply(t -> JsonResponses.ok(target(t))))))),
            path("test", () -> post(() -> completeWithFuture(withErrors(webhooks.test(id, session.username())
                .thenApply(r -> JsonResponses.ok(result(id, r)))))))))));
  }

  /** Each channel's config fields, so a UI can build its form. */
  private static java.util.List<ObjectNode> channels() {
    return java.util.Arrays.stream(Channel.values()).map(c -> {
      ObjectNode n = JsonResponses.MAPPER.createObjectNode().put("channel", c.wireName());
      var fields = n.putArray("fields");
      for (ChannelField f : c.fields()) {
        ObjectNode field = fields.addObject().put("name", f.name()).put("required", f.required()).put("secret", f.secret());
        if (f.defaultValue() != null) {
          field.put("default", f.defaultValue());
        }
        if (!f.choices().isEmpty()) {
          var choices = field.putArray("choices");
          f.choices().forEach(choices::add);
        }
      }
      return n;
    }).toList();
  }

  static ObjectNode target(WebhookTargetView t) {
    ObjectNode n = JsonResponses.MAPPER.createObjectNode();
    n.put("id", t.id()).put("name", t.name()).put("channel", t.channel().wireName()).put("enabled", t.enabled());
    var kinds = n.putArray("kinds");
    t.kinds().stream().map(AlertText::kindName).sorted().forEach(kinds::add);
    ObjectNode config = n.putObject("config");
    t.maskedConfig().forEach(config::put);
    n.put("createdAt", Instant.ofEpochMilli(t.createdAt()).toString())
        .put("updatedAt", Instant.ofEpochMilli(t.updatedAt()).toString());
    return n;
  }

  private static ObjectNode result(String id, DeliveryResult r) {
    ObjectNode n = JsonResponses.MAPPER.createObjectNode();
    n.put("id", id).put("delivered", r.delivered()).put("attempts", r.attempts());
    if (!r.delivered()) {
      n.put("error", r.error());
    }
    return n;
  }

  private CompletionStage<JsonNode> json(HttpRequest req) {
    return AdminCalls.jsonObject(req, MAX_BODY, materializer);
  }
}
