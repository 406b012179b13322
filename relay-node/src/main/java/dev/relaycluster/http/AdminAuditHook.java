package dev.relaycluster.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.admin.AdminAudit;
import dev.relaycluster.admin.AdminSession;
import dev.relaycluster.admin.AuditAction;
import dev.relaycluster.admin.AuditActions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit log around every admin write, in one place: after the call succeeded and before its
 * answer leaves, one entry with the admin, the action ({@link AuditActions}), the object's id (from the
 * path, else the answer's {@code id} or {@code username}) and name (the answer's {@code name}), the names
 * of the body's top-level fields and the client address. No value of the body or the answer is kept.
 * Refused calls (403) are logged as {@code denied}. An entry that cannot be written is logged on the node
 * and the answer still goes out: the change itself was made.
 */
final class AdminAuditHook {
  private static final Logger log = LoggerFactory.getLogger(AdminAuditHook.class);
  private static final int MAX_FIELDS = 40;

  private final AdminAudit audit;
  private final TrustedProxies proxies;

  AdminAuditHook(AdminAudit audit, TrustedProxies proxies) {
    this.audit = audit;
    this.proxies = proxies;
  }

  /**
   * What to do with the inner route's result for this call: nothing for a read, else, once it succeeded,
   * write its entry and then pass the result on (AdminRoutes applies it with {@code mapRouteResultWith}).
   */
  Function<RouteResult, CompletionStage<RouteResult>> after(AdminSession session, HttpRequest strictReq,
      List<String> path) {
    JsonNode body = body(strictReq.entity());
    Optional<AuditAction> what = AuditActions.describe(strictReq.method().name(), path, body);
    return result -> {
      if (what.isEmpty() || !(result instanceof Complete done) || done.getResponse().status().intValue() >= 300) {
        return CompletableFuture.completedFuture(result);
      }
      JsonNode answer = body(done.getResponse().entity());
      boolean self = path.get(0).equals("me");
      AuditAction action = what.get();
      String id = action.objectId() != null ? action.objectId() : self ? session.username()
          : text(answer, "id").or(() -> text(answer, "username")).orElse(null);
      String name = text(answer, "name").or(() -> text(answer, "username")).orElse(self ? session.username() : null);
      // An import's detail is its summary (counts), from the answer.
      String detail = action.detail() != null ? action.detail()
          : path.get(0).equals("import") ? text(answer, "summary").orElse(null) : null;
      AuditAction withId = new AuditAction(action.action(), action.objectType(), id, detail);
      return write(session.username(), withId, name, fieldNames(body), proxies.clientAddress(strictReq))
          .thenApply(v -> result);
    };
  }

  /** A call refused for the caller's role or enrolment: logged as {@code denied}, with what was asked. */
  CompletionStage<Void> denied(AdminSession session, HttpRequest req, List<String> path) {
    String target = path.isEmpty() ? "" : path.get(0);
    String id = path.size() > 1 ? path.get(1) : null;
    return write(session.username(), new AuditAction("denied", target.isEmpty() ? "api" : target, id,
        req.method().name() + " /" + String.join("/", path)), null, List.of(), proxies.clientAddress(req));
  }

  /** Writes an entry; a failure is logged, not passed on. */
  CompletionStage<Void> write(String actor, AuditAction what, String name, List<String> fields, String client) {
    return audit.record(actor, what, name, fields, client).handle((entry, failure) -> {
      if (failure != null) {
        log.warn("admin audit entry not written ({} {} {} by {}): {}", what.action(), what.objectType(),
            what.objectId(), actor, failure.toString());
      }
      return null;
    });
  }

  /** The top-level field names of a JSON object body, only those that look like names. */
  private static List<String> fieldNames(JsonNode body) {
    List<String> out = new ArrayList<>();
    if (body == null || !body.isObject()) {
      return out;
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext() && out.size() < MAX_FIELDS; ) {
      String name = it.next();
      if (name.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}")) {
        out.add(name);
      }
    }
    return out;
  }

  private static JsonNode body(HttpEntity entity) {
    if (!(entity instanceof HttpEntity.Strict strict) || strict.getData().isEmpty()) {
      return null;
    }
    try {
      return JsonResponses.MAPPER.readTree(strict.getData().toArrayUnsafe());
    } catch (IOException e) {
      return null;
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node == null || !node.path(field).isTextual() ? Optional.empty() : Optional.of(node.path(field).asText());
  }
}
