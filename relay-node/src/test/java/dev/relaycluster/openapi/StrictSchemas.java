package dev.relaycluster.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A copy of the document in which answers and examples may hold only the fields the document names.
 *
 * <p>The published schemas leave objects open, so that adding a field later breaks no client. The tests
 * want the opposite: a field the node sends but the document does not name is a gap in the document.
 * So the copy the tests validate against gets {@code unevaluatedProperties: false} on every schema that
 * describes an object through {@code properties}, {@code $ref} or {@code allOf}, except where that would
 * be wrong: a direct item of {@code allOf} (its siblings add the other fields), the parts of
 * {@code if/then/else/not}, and the component schemas themselves (they are strict where they are used,
 * since the keyword sees through {@code $ref} and {@code allOf}). Alternatives of {@code anyOf/oneOf} are
 * each strict on their own, which is what an alternative means. Maps ({@code additionalProperties}) and
 * free-form objects stay as written.
 */
final class StrictSchemas {
  private static final List<String> OPERATIONS = List.of("get", "put", "post", "delete", "options", "head", "patch",
      "trace");

  private StrictSchemas() {}

  static ObjectNode of(JsonNode document) {
    ObjectNode copy = document.deepCopy();
    copy.path("paths").forEach(item -> {
      item.path("parameters").forEach(p -> schema(p.get("schema"), true));
      for (String method : OPERATIONS) {
        JsonNode op = item.path(method);
        op.path("parameters").forEach(p -> schema(p.get("schema"), true));
        media(op.path("requestBody"));
        op.path("responses").forEach(StrictSchemas::media);
      }
    });
    JsonNode components = copy.path("components");
    components.path("responses").forEach(StrictSchemas::media);
    components.path("parameters").forEach(p -> schema(p.get("schema"), true));
    // Component roots are reached by $ref: the referring schema is made strict, their insides here.
    components.path("schemas").forEach(s -> schema(s, false));
    return copy;
  }

  private static void media(JsonNode holder) {
    holder.path("content").forEach(m -> schema(m.get("schema"), true));
  }

  private static void schema(JsonNode node, boolean strictHere) {
    if (!(node instanceof ObjectNode s)) {
      return;
    }
    boolean describesObject = s.has("properties") || s.has("$ref") || s.has("allOf");
    if (strictHere && describesObject && !s.has("additionalProperties") && !s.has("unevaluatedProperties")) {
      s.put("unevaluatedProperties", false);
    }
    s.path("properties").forEach(p -> schema(p, true));
    s.path("allOf").forEach(p -> schema(p, false));
    s.path("anyOf").forEach(p -> schema(p, true));
    s.path("oneOf").forEach(p -> schema(p, true));
    schema(s.get("items"), true);
    if (s.path("additionalProperties").isObject()) {
      schema(s.get("additionalProperties"), true);
    }
  }
}
