package dev.relaycluster.protocol.convert.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's JSON schema as Claude's structured output ({@code output_config.format.schema}) takes it:
 * every object schema has {@code additionalProperties: false} (Claude refuses an object without it, and
 * one with any other value), and the constraints Claude does not take (numeric bounds, string lengths,
 * item counts above one) leave the schema and are described in its {@code description} instead, as
 * Anthropic's own SDKs do.
 */
final class OutputSchema {
  /** Keywords whose values are schemas. */
  private static final Set<String> SUBSCHEMA = Set.of("items", "not", "contains");
  /** Keywords whose values are lists of schemas. */
  private static final Set<String> SUBSCHEMA_LISTS = Set.of("anyOf", "allOf", "oneOf", "prefixItems");
  /** Keywords whose values map names to schemas. */
  private static final Set<String> NAMED = Set.of("properties", "$defs", "definitions");
  private static final List<String> UNSUPPORTED = List.of("minimum", "maximum", "exclusiveMinimum",
      "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "maxItems", "minProperties", "maxProperties");

  private OutputSchema() {}

  /** A copy of {@code schema} Claude takes; what changed goes to {@code notes}. */
  static JsonNode forClaude(JsonNode schema, List<String> notes) {
    JsonNode copy = schema.deepCopy();
    boolean[] changed = new boolean[2];
    fix(copy, changed);
    if (changed[0]) {
      notes.add("output schema: additionalProperties set to false on its objects (Claude takes no other value)");
    }
    if (changed[1]) {
      notes.add("output schema: bounds and lengths Claude does not take moved into the descriptions");
    }
    return copy;
  }

  private static void fix(JsonNode node, boolean[] changed) {
    if (!(node instanceof ObjectNode o)) {
      return;
    }
    for (Map.Entry<String, JsonNode> f : o.properties()) {
      String key = f.getKey();
      JsonNode value = f.getValue();
      if (SUBSCHEMA.contains(key)) {
        fix(value, changed);
      } else if (SUBSCHEMA_LISTS.contains(key) && value.isArray()) {
        value.forEach(v -> fix(v, changed));
      } else if (NAMED.contains(key) && value.isObject()) {
        value.forEach(v -> fix(v, changed));
      }
    }
    if (isObject(o)) {
      JsonNode ap = o.get("additionalProperties");
      if (ap == null || !ap.isBoolean() || ap.booleanValue()) {
        changed[0] |= ap != null;
        o.put("additionalProperties", false);
      }
    }
    StringBuilder moved = new StringBuilder();
    for (String key : UNSUPPORTED) {
      JsonNode v = o.get(key);
      if (v != null) {
        moved.append(moved.length() == 0 ? "" : ", ").append(key).append(": ").append(v);
        o.remove(key);
      }
    }
    JsonNode minItems = o.get("minItems");
    if (minItems != null && minItems.isNumber() && minItems.asLong() > 1) {
      moved.append(moved.length() == 0 ? "" : ", ").append("minItems: ").append(minItems);
      o.remove("minItems");
    }
    if (moved.length() > 0) {
      changed[1] = true;
      JsonNode d = o.get("description");
      String prefix = d != null && d.isTextual() && !d.textValue().isEmpty() ? d.textValue() + "\n\n" : "";
      o.put("description", prefix + "{" + moved + "}");
    }
  }

  private static boolean isObject(ObjectNode o) {
    JsonNode type = o.get("type");
    if (type != null && type.isTextual()) {
      return type.textValue().equals("object");
    }
    if (type != null && type.isArray()) {
      for (JsonNode t : type) {
        if (t.asText().equals("object")) {
          return true;
        }
      }
      return false;
    }
    return o.has("properties");
  }
}
