package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything an admin sets on a key: labels, limits (enforced by the key's entity), access rules and
 * expiry (checked on every node from the directory), per-pool service rates for rated cost and per-pool
 * bindings to a dedicated account or group.
 */
public record KeySettings(
    String name,
    String description,
    List<String> tags,
    KeyLimits limits,
    KeyAccess access,
    KeyExpiry expiry,
    Map<String, Double> serviceRates,
    Map<String, KeyBinding> bindings) implements CborSerializable {

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
  }

  /** A key with a name, a concurrency limit and nothing else, as keys were before limits existed. */
  public static KeySettings basic(String name, int concurrencyLimit) {
    return new KeySettings(name, "", List.of(), KeyLimits.NONE.withConcurrency(concurrencyLimit), KeyAccess.ANY,
        KeyExpiry.NONE, Map.of(), Map.of());
  }
}
