package dev.relaycluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A model map as JSON, the same shape in the admin API, on a key and in {@code RELAY_MODEL_MAP}: an array of
 * {@code {"match": "claude-*", "pool": "claude", "model": "claude-sonnet-4-5"}} ({@code model} optional). Reading
 * checks every rule; a bad one is an {@link IllegalArgumentException} whose message starts with the field
 * ({@code rules[2].pool: …}). Pure.
 */
public final class ModelMapJson {
  private static final Set<String> FIELDS = Set.of("match", "pool", "model");
  private static final String POOL_NAMES = String.join(", ", new java.util.TreeSet<>(ModelMap.POOLS));

  private ModelMapJson() {}

  /** The rules of {@code node} (an array; null or JSON null: none), named {@code field} in errors. */
  public static List<ModelRule> parse(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(field + ": a list of {match, pool, model} rules");
    }
    List<ModelRule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String at = field + "[" + i + "]";
      JsonNode rule = node.get(i);
      if (!rule.isObject()) {
        throw new IllegalArgumentException(at + ": an object {match, pool, model}");
      }
      rule.fieldNames().forEachRemaining(name -> {
        if (!FIELDS.contains(name)) {
          throw new IllegalArgumentException(at + "." + name + ": unknown field (match, pool, model)");
        }
      });
      rules.add(new ModelRule(text(rule, "match", at), text(rule, "pool", at), text(rule, "model", at)));
    }
    check(rules, field);
    return List.copyOf(rules);
  }

  /** Checks rules however they were read: at most {@link ModelMap#MAX_RULES}, each with a pattern and a known pool. */
  public static void check(List<ModelRule> rules, String field) {
    if (rules.size() > ModelMap.MAX_RULES) {
      throw new IllegalArgumentException(field + ": at most " + ModelMap.MAX_RULES + " rules (" + rules.size()
          + " given)");
    }
    for (int i = 0; i < rules.size(); i++) {
      ModelRule rule = rules.get(i);
      String at = field + "[" + i + "]";
      if (rule.match().isEmpty()) {
        throw new IllegalArgumentException(at + ".match: a model name or a pattern with *, such as claude-*");
      }
      if (!name(rule.match())) {
        throw new IllegalArgumentException(at + ".match: at most " + ModelMap.MAX_NAME
            + " printable characters without spaces");
      }
      if (!ModelMap.POOLS.contains(rule.pool())) {
        throw new IllegalArgumentException(at + ".pool: one of " + POOL_NAMES);
      }
      if (rule.model() != null && (!name(rule.model()) || rule.model().contains("*"))) {
        throw new IllegalArgumentException(at + ".model: a model name of at most " + ModelMap.MAX_NAME
            + " printable characters without spaces or *, or null for the name as asked");
      }
    }
  }

  public static ArrayNode toJson(List<ModelRule> rules) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (ModelRule rule : rules) {
      ObjectNode n = out.addObject().put("match", rule.match()).put("pool", rule.pool());
      if (rule.model() != null) {
        n.put("model", rule.model());
      } else {
        n.putNull("model");
      }
    }
    return out;
  }

  private static String text(JsonNode rule, String name, String at) {
    JsonNode v = rule.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(at + "." + name + ": text");
    }
    return v.asText();
  }

  private static boolean name(String s) {
    return s.length() <= ModelMap.MAX_NAME && s.chars().noneMatch(c -> c <= ' ' || c == 0x7f);
  }
}
