package dev.relaycluster.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered list of {@link ModelRule}s: which pool and upstream model a requested model name means. The first
 * rule that matches wins. The operator's map comes from {@code relay.models} (or {@code RELAY_MODEL_MAP}) until
 * an admin replaces it at run time; a key may carry its own, consulted before the operator's. Pure.
 */
public record ModelMap(List<ModelRule> rules) {
  /** The pools a rule may send a request to. */
  public static final Set<String> POOLS = Set.of("claude", "openai", "gemini", "droid");
  /** The most rules one map may hold. */
  public static final int MAX_RULES = 500;
  /** The longest pattern or model name a rule may hold. */
  public static final int MAX_NAME = 200;
  public static final ModelMap EMPTY = new ModelMap(List.of());

  public ModelMap {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** The first rule that matches {@code model}, or empty (always empty for a request that names no model). */
  public Optional<ModelRule> find(String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    for (ModelRule rule : rules) {
      if (rule.matches(model)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }
}
