package dev.relaycluster.apikey;

import dev.relaycluster.node.CborSerializable;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a key may be used for, checked on the node from the replicated directory: the pools it may use
 * (empty = all), models it may ask for ({@code allowedModels}, empty = any) and may not
 * ({@code blockedModels}), and the clients it may be used from (recognised kinds; empty = any).
 * Model patterns match whole names, case-insensitively; a trailing {@code *} matches any suffix.
 */
public record KeyAccess(Set<String> pools, List<String> allowedModels, List<String> blockedModels,
    List<String> allowedClients) implements CborSerializable {

  public static final KeyAccess ANY = new KeyAccess(Set.of(), List.of(), List.of(), List.of());

  public KeyAccess {
    pools = pools == null ? Set.of() : Set.copyOf(pools);
    allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    blockedModels = blockedModels == null ? List.of() : List.copyOf(blockedModels);
    allowedClients = allowedClients == null ? List.of() : List.copyOf(allowedClients);
  }

  public boolean allowsPool(String pool) {
    return pools.isEmpty() || pools.contains(pool);
  }

  /** The blocked pattern the model matches, or null. */
  public String blockingPattern(String model) {
    for (String p : blockedModels) {
      if (matches(p, model)) {
        return p;
      }
    }
    return null;
  }

  public boolean allowsModel(String model) {
    if (blockingPattern(model) != null) {
      return false;
    }
    return allowedModels.isEmpty() || allowedModels.stream().anyMatch(p -> matches(p, model));
  }

  public boolean allowsClient(String kind) {
    return allowedClients.isEmpty() || allowedClients.contains(kind);
  }

  /** A model name without a vendor prefix ({@code anthropic/claude-…}, {@code anthropic.claude-…} as Bedrock writes it). */
  static String bareModel(String model) {
    String m = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    if (m.startsWith("anthropic.")) {
      m = m.substring("anthropic.".length());
    }
    return m;
  }

  static boolean matches(String pattern, String model) {
    String p = bareModel(pattern);
    String m = bareModel(model);
    return p.endsWith("*") ? m.startsWith(p.substring(0, p.length() - 1)) : m.equals(p);
  }
}
