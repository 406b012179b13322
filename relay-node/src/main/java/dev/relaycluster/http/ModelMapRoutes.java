package dev.relaycluster.http;

import static dev.relaycluster.http.AdminCalls.withErrors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.admin.ModelMaps;
import dev.relaycluster.config.ModelMapJson;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * The operator's model map, mounted by {@link AdminRoutes} after login and the role check: {@code GET model-map}
 * (the map in force, whether an admin's map overrides the defaults, and the defaults), {@code PUT model-map}
 * (body {@code {"rules": […]}}) and {@code DELETE model-map} (back to the defaults). Each answers the map as GET does.
 */
public final class ModelMapRoutes extends AllDirectives {
  /** 500 rules of two 200-character names and some punctuation each, with room to spare. */
  private static final long MAX_BODY = 512 * 1024;

  private final ModelMaps maps;
  private final Materializer materializer;

  public ModelMapRoutes(ModelMaps maps, Materializer materializer) {
    this.maps = maps;
    this.materializer = materializer;
  }

  public Route route(HttpRequest req) {
    return path("model-map", () -> concat(
        // Read anew, so an admin sees a change another node saved without waiting for this node's next reload.
        get(() -> completeWithFuture(withErrors(maps.reload().thenApply(m -> JsonResponses.ok(shown(maps)))))),
        put(() -> completeWithFuture(withErrors(AdminCalls.jsonObject(req, MAX_BODY, materializer)
            .thenCompose(maps::replace).thenApply(m -> JsonResponses.ok(shown(maps)))))),
        delete(() -> completeWithFuture(withErrors(maps.reset().thenApply(m -> JsonResponses.ok(shown(maps))))))));
  }

  static ObjectNode shown(ModelMaps maps) {
    ObjectNode out = JsonResponses.MAPPER.createObjectNode();
    out.set("rules", ModelMapJson.toJson(maps.current().rules()));
    out.put("overridden", maps.overridden());
    out.set("defaults", ModelMapJson.toJson(maps.defaults().rules()));
    return out;
  }
}
