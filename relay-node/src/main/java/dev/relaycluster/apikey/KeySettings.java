package dev.relaycluster.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.config.ModelRule;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything an admin sets on a key: labels, limits (enforced by the key's entity), access rules and
 * expiry (checked on every node from the directory), per-pool service rates for rated cost and per-pool
 * bindings to a dedicated account or group, and the key's own model map ({@code modelMap}: rules consulted
 * before the operator's; empty on keys saved before it existed).
 */
public record KeySettings(
    String name,
    String description,
    List<String> tags,
    KeyLimits limits,
    KeyAccess access,
    KeyExpiry expiry,
    Map<String, Double> serviceRates,
    Map<String, KeyBinding> bindings,
    // Left out when empty, so a key without a map is written as before the field existed.
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ModelRule> modelMap) implements CborSerializable {

  /** The pools a key can be given: Claude, OpenAI (Codex), Gemini and Droid. */
  public static final Set<String> POOLS = Set.of("claude", "openai", "gemini", "droid");

  public KeySettings {
    description = description == null ? "" : description;
    tags = tags == null ? List.of() : List.copyOf(tags);
    limits = limits == null ? KeyLimits.NONE : limits;
    access = access == null ? KeyAccess.ANY : access;
    expiry = expiry == null ? KeyExpiry.NONE : expiry;
    serviceRates = serviceRates == null ? Map.of() : Map.copyOf(serviceRates);
    bindings = bindings == null ? Map.of() : Map.copyOf(bindings);
    modelMap = modelMap == null ? List.of() : List.copyOf(modelMap);
  }

  /** Settings without a model map of their own. */
  public KeySettings(String name, String description, List<String> tags, KeyLimits limits, KeyAccess access,
      KeyExpiry expiry, Map<String, Double> serviceRates, Map<String, KeyBinding> bindings) {
    this(name, description, tags, limits, access, expiry, serviceRates, bindings, List.of());
  }

  /** A key with a name, a concurrency limit and nothing else, as keys were before limits existed. */
  public static KeySettings basic(String name, int concurrencyLimit) {
    return new KeySettings(name, "", List.of(), KeyLimits.NONE.withConcurrency(concurrencyLimit), KeyAccess.ANY,
        KeyExpiry.NONE, Map.of(), Map.of());
  }
}
