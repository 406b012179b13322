package dev.relaycluster.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.relay.UsageBacklog;
import dev.relaycluster.relay.UsageRedelivery;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.TtlStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * GET /health (no auth): storage, TTL store and cluster state; 200 when all answer, else 503. Also the
 * usage records this node keeps because their key's entity has not taken them yet ({@code usageBacklog}:
 * how many, how many on disk, the oldest one's age): while any wait the status is {@code backlog}, still
 * with 200, since the node serves requests and nothing is lost; the records land once the entity answers.
 */
public final class HealthRoutes extends AllDirectives {
  private static final long CHECK_TIMEOUT_MS = 2_000;

  private final ActorSystem<?> system;
  private final Database database;
  private final TtlStore store;

  public HealthRoutes(ActorSystem<?> system, Database database, TtlStore store) {
    this.system = system;
    this.database = database;
    this.store = store;
  }

  public Route route() {
    return path("health", () -> get(() -> completeWithFuture(check())));
  }

  private CompletionStage<HttpResponse> check() {
    CompletableFuture<Boolean> db = database.async(c -> c.isValid(2)).toCompletableFuture()
        .orTimeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).exceptionally(t -> false);
    CompletableFuture<Boolean> ttl = store.ping().toCompletableFuture().thenApply(v -> true)
        .orTimeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).exceptionally(t -> false);
    return db.thenCombine(ttl, (dbOk, ttlOk) -> {
      Cluster cluster = Cluster.get(system);
      String selfStatus = cluster.selfMember().status().toString();
      ObjectNode body = JsonResponses.MAPPER.createObjectNode();
      boolean draining = NodeDrain.get(system).draining();
      boolean up = dbOk && ttlOk && "Up".equals(selfStatus) && !draining;
      UsageBacklog backlog = UsageRedelivery.get(system).backlog();
      body.put("status", draining ? "draining" : !up ? "degraded" : backlog.empty() ? "ok" : "backlog");
      body.put("inFlight", NodeDrain.get(system).inFlight());
      body.putObject("usageBacklog").put("records", backlog.records()).put("onDisk", backlog.onDisk())
          .put("oldestAgeSeconds", backlog.oldestAgeMillis(System.currentTimeMillis()) / 1000);
      body.putObject("storage").put("kind", database.dialect().displayName()).put("ok", dbOk);
      body.putObject("ttlStore").put("kind", store.kind()).put("ok", ttlOk);
      ObjectNode c = body.putObject("cluster");
      c.put("self", cluster.selfMember().address().toString());
      c.put("selfStatus", selfStatus);
      ArrayNode members = c.putArray("members");
      for (Member m : cluster.state().getMembers()) {
        members.addObject().put("address", m.address().toString()).put("status", m.status().toString())
            .put("reachable", !cluster.state().getUnreachable().contains(m));
      }
      return JsonResponses.of(up ? 200 : 503, body);
    });
  }
}
