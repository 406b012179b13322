package dev.relaycluster.apikey;

import dev.relaycluster.config.ModelMap;
import dev.relaycluster.config.ModelRule;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The model map as a {@link ModelRouter}: the key's own rules first, then the operator's map (read anew for every
 * request, so a change an admin saves applies at once), then the pool of the path the client called with the name
 * as asked. Whether the key may use the pool this picks is the key's policy's question ({@link StaticPolicy}), as
 * for any request. Pure over the map it is given.
 */
public final class MappedModelRouter implements ModelRouter {
  private final Supplier<ModelMap> operator;

  public MappedModelRouter(Supplier<ModelMap> operator) {
    this.operator = operator;
  }

  @Override
  public Optional<ModelRoute> route(KeyEntry key, String model, String homePool) {
    Optional<ModelRule> rule = new ModelMap(key.settings().modelMap()).find(model)
        .or(() -> operator.get().find(model));
    if (rule.isPresent()) {
      return Optional.of(new ModelRoute(rule.get().pool(), rule.get().target(model)));
    }
    return homePool == null ? Optional.empty() : Optional.of(new ModelRoute(homePool, model));
  }

  /**
   * The names a key may ask for beyond the models it lists anyway: the exact names (aliases, not patterns) of
   * its own map and the operator's, first seen first.
   */
  public java.util.Collection<String> aliases(KeyEntry key) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (java.util.List<ModelRule> rules : java.util.List.of(key.settings().modelMap(), operator.get().rules())) {
      for (ModelRule r : rules) {
        if (!r.match().contains("*")) {
          out.add(r.match());
        }
      }
    }
    return out;
  }
}
