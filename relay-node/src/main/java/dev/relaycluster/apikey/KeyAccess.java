package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a key may be used for, checked on the node from the replicated directory: the pools it may use
 * (empty = all), models it may ask for ({@code allowedModels}, empty = any) and may not
 * ({@code blockedModels}), and the clients it may be used from (recognised kinds; empty = any).
 * Model patterns match whole names, case-insensitively, after any vendor or region prefix
 * ({@code anthropic/…}, {@code us.anthropic.…}, {@code ccr,…}); {@code *} matches any run of characters.
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

  /**
   * A model name without a vendor or region prefix: {@code anthropic/claude-…}, {@code claude-…} as Bedrock
   * writes it ({@code anthropic.claude-…}, {@code us.anthropic.claude-…}), CRS's {@code ccr,claude-…}.
   */
  static String bareModel(String model) {
    String m = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
    m = m.substring(Math.max(m.lastIndexOf('/'), m.lastIndexOf(',')) + 1);
    int vendor = m.indexOf("anthropic.");
    if (vendor >= 0) {
      m = m.substring(vendor + "anthropic.".length());
    }
    return m;
  }

  static boolean matches(String pattern, String model) {
    return glob(bareModel(pattern), bareModel(model));
  }

  /** Whether {@code text} matches {@code pattern}, where {@code *} stands for any run of characters. */
  private static boolean glob(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
