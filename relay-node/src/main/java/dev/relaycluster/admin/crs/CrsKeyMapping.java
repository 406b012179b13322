package dev.relaycluster.admin.crs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.apikey.KeyAccess;
import dev.relaycluster.apikey.KeyBinding;
import dev.relaycluster.apikey.KeyExpiry;
import dev.relaycluster.apikey.KeyLimits;
import dev.relaycluster.apikey.KeySettings;
import dev.relaycluster.apikey.RateWindowLimit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A claude-relay-service API key hash ({@code apikey:{id}}) as one of this relay's keys (pure): same id, its
 * stored hash (salted with the old ENCRYPTION_KEY), name, description, tags, permissions (pools), limits
 * (concurrency, rate window of requests / tokens / cost, daily / total / weekly Opus cost and the weekly reset),
 * expiry (fixed; activation mode, already started or not), model blacklist, allowed clients, service rates and
 * per-pool bindings to an account or a group. A key CRS disabled ({@code isActive=false}) or soft-deleted comes
 * across soft-deleted (an admin can restore it).
 */
final class CrsKeyMapping {
  private static final long HOUR = 3_600_000L;
  private static final Map<String, String> CLIENTS = Map.of("claude_code", "claude-code", "codex_cli", "codex",
      "gemini_cli", "gemini-cli", "droid_cli", "droid");

  /** A key to create; {@code note} says what did not come across exactly (null: everything did). */
  record ImportedKey(String id, String keyHash, KeySettings settings, long createdAt, boolean deleted,
      String note) {}

  /** Why a key cannot be imported. */
  static final class Unusable extends Exception {
    Unusable(String reason) {
      super(reason, null, false, false);
    }
  }

  private CrsKeyMapping() {}

  static ImportedKey map(Map<String, String> f, Map<String, CrsData.CrsGroup> groups) throws Unusable {
    String id = CrsFields.text(f, "id");
    String hash = CrsFields.text(f, "apiKey");
    if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new Unusable("no usable id");
    }
    if (hash == null || !hash.matches("[0-9a-f]{64}")) {
      throw new Unusable("no key hash (field apiKey is not a sha256 hex digest)");
    }
    List<String> notes = new ArrayList<>();
    String name = CrsFields.text(f, "name");
    name = name == null ? "crs-" + id.substring(0, Math.min(8, id.length())) : name;
    name = name.length() > 100 ? name.substring(0, 100) : name;
    String description = CrsFields.text(f, "description");
    description = description == null ? "" : description.length() > 1000 ? description.substring(0, 1000) : description;
    List<String> tags = CrsFields.strings(f, "tags").stream().map(t -> t.length() > 40 ? t.substring(0, 40) : t)
        .distinct().limit(20).toList();

    RateWindowLimit window = null;
    long minutes = CrsFields.integer(f, "rateLimitWindow", 0);
    if (minutes > 0) {
      window = new RateWindowLimit((int) Math.min(minutes, 43_200), Math.max(0, CrsFields.integer(f,
          "rateLimitRequests", 0)), Math.max(0, CrsFields.integer(f, "tokenLimit", 0)),
          CrsFields.usdMicros(f, "rateLimitCost"));
    }
    KeyLimits limits = new KeyLimits((int) Math.max(0, CrsFields.integer(f, "concurrencyLimit", 0)), window,
        CrsFields.usdMicros(f, "dailyCostLimit"), CrsFields.usdMicros(f, "totalCostLimit"),
        CrsFields.usdMicros(f, "weeklyOpusCostLimit"), (int) CrsFields.integer(f, "weeklyResetDay", 1),
        (int) CrsFields.integer(f, "weeklyResetHour", 0));

    List<String> blocked = CrsFields.flag(f, "enableModelRestriction", false)
        ? CrsFields.strings(f, "restrictedModels") : List.of();
    List<String> clients = new ArrayList<>();
    if (CrsFields.flag(f, "enableClientRestriction", false)) {
      for (String c : CrsFields.strings(f, "allowedClients")) {
        String kind = CLIENTS.get(c);
        if (kind == null) {
          notes.add("allowed client " + c + " is unknown here and was left out");
        } else if (!clients.contains(kind)) {
          clients.add(kind);
        }
      }
    }
    KeyAccess access = new KeyAccess(pools(f, notes), List.of(), blocked, clients);

    Map<String, Double> rates = new LinkedHashMap<>();
    JsonNode r = CrsFields.json(f, "serviceRates");
    if (r != null && r.isObject()) {
      r.fields().forEachRemaining(e -> {
        String pool = e.getKey().equals("codex") ? "openai" : e.getKey();
        if (KeySettings.POOLS.contains(pool) && e.getValue().isNumber() && e.getValue().asDouble() > 0) {
          rates.put(pool, e.getValue().asDouble());
        }
      });
    }
    KeySettings settings = new KeySettings(name, description, tags, limits, access, expiry(f, notes), rates,
        bindings(f, groups, notes));
    boolean disabled = !CrsFields.flag(f, "isActive", true);
    boolean deleted = CrsFields.flag(f, "isDeleted", false);
    if (disabled && !deleted) {
      notes.add("disabled in claude-relay-service: imported as deleted (restore it to enable it)");
    }
    long created = CrsFields.time(f, "createdAt");
    return new ImportedKey(id, hash, settings, created > 0 ? created : System.currentTimeMillis(),
        deleted || disabled, notes.isEmpty() ? null : String.join("; ", notes));
  }

  /** CRS permissions: a JSON array of services, or "all" / "" / [] for every service. */
  private static Set<String> pools(Map<String, String> f, List<String> notes) {
    String raw = CrsFields.text(f, "permissions");
    if (raw == null || raw.equals("all")) {
      return Set.of();
    }
    Set<String> pools = new LinkedHashSet<>();
    for (String p : CrsFields.strings(f, "permissions")) {
      String pool = p.equals("codex") ? "openai" : p;
      if (pool.equals("all")) {
        return Set.of();
      }
      if (KeySettings.POOLS.contains(pool)) {
        pools.add(pool);
      } else {
        notes.add("permission " + p + " is unknown here and was left out");
      }
    }
    return pools;
  }

  private static KeyExpiry expiry(Map<String, String> f, List<String> notes) {
    String mode = CrsFields.text(f, "expirationMode");
    long expiresAt = CrsFields.time(f, "expiresAt");
    if ("activation".equals(mode)) {
      if (CrsFields.flag(f, "isActivated", false)) {
        // Already running: its end is fixed now.
        return expiresAt > 0 ? KeyExpiry.fixed(expiresAt) : KeyExpiry.NONE;
      }
      long n = CrsFields.integer(f, "activationDays", 0);
      if (n <= 0) {
        n = 30;
      }
      return KeyExpiry.activation(n * ("hours".equals(CrsFields.text(f, "activationUnit")) ? HOUR : 24 * HOUR));
    }
    if (CrsFields.text(f, "expiresAt") != null && expiresAt == 0) {
      notes.add("expiresAt is not a time and was left out");
    }
    return expiresAt > 0 ? KeyExpiry.fixed(expiresAt) : KeyExpiry.NONE;
  }

  /**
   * CRS binds a key per service: claude (OAuth account, else Console, else Bedrock), openai ({@code responses:}
   * ids are OpenAI-Responses accounts; else Azure), gemini ({@code api:} ids are Gemini API accounts), droid.
   * {@code group:{id}} names an account group. Accounts keep their CRS ids here, so the ids carry over.
   */
  private static Map<String, KeyBinding> bindings(Map<String, String> f, Map<String, CrsData.CrsGroup> groups,
      List<String> notes) {
    Map<String, KeyBinding> out = new LinkedHashMap<>();
    bind(out, "claude", groups, notes, CrsFields.text(f, "claudeAccountId"), CrsFields.text(f, "claudeConsoleAccountId"),
        CrsFields.text(f, "bedrockAccountId"));
    bind(out, "openai", groups, notes, CrsFields.text(f, "openaiAccountId"), CrsFields.text(f, "azureOpenaiAccountId"));
    bind(out, "gemini", groups, notes, CrsFields.text(f, "geminiAccountId"));
    bind(out, "droid", groups, notes, CrsFields.text(f, "droidAccountId"));
    return out;
  }

  private static void bind(Map<String, KeyBinding> out, String pool, Map<String, CrsData.CrsGroup> groups,
      List<String> notes, String... values) {
    for (String v : values) {
      if (v == null) {
        continue;
      }
      if (v.startsWith("group:")) {
        CrsData.CrsGroup g = groups.get(v.substring("group:".length()));
        if (g == null) {
          notes.add(pool + " binding to unknown group " + v.substring(6) + " was left out");
          continue;
        }
        out.put(pool, new KeyBinding(null, CrsAccountMapping.groupName(g), true));
        return;
      }
      String account = v.startsWith("responses:") ? v.substring(10) : v.startsWith("api:") ? v.substring(4) : v;
      out.put(pool, new KeyBinding(account, null, true));
      return;
    }
  }
}
