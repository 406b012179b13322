package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.apikey.KeyAccess;
import dev.relaycluster.apikey.KeyBinding;
import dev.relaycluster.apikey.KeyExpiry;
import dev.relaycluster.apikey.KeyLimits;
import dev.relaycluster.apikey.KeySettings;
import dev.relaycluster.apikey.RateWindowLimit;
import dev.relaycluster.config.ModelMapJson;
import dev.relaycluster.config.ModelRule;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a key's settings from the admin API's JSON: every field of a create, or the fields a PATCH names
 * (applied over the current settings; {@code null} clears a field). Anything invalid or unknown is an
 * {@link AdminInputException} naming the field, so nothing is written. Money is in USD.
 */
public final class KeySettingsInput {
  private static final Set<String> FIELDS = Set.of("name", "description", "tags", "permissions", "concurrencyLimit",
      "rateLimit", "dailyCostLimit", "totalCostLimit", "weeklyOpusCostLimit", "weeklyResetDay", "weeklyResetHour",
      "expiry", "allowedModels", "blockedModels", "allowedClients", "serviceRates", "bindings",
      "modelMap");
  private static final BigDecimal MAX_USD = BigDecimal.valueOf(1_000_000_000L);
  private static final long HOUR = 3_600_000L;

  private final Set<String> clientKinds;

  /**
   * @param clientKinds the client kinds a key may be restricted to (built-in and configured)
   */
  public KeySettingsInput(Set<String> clientKinds) {
    this.clientKinds = Set.copyOf(clientKinds);
  }

  /** The settings of a new key; {@code name} is required. */
  public KeySettings create(JsonNode body) {
    if (!body.has("name")) {
      throw invalid("name: a non-empty name of at most 100 characters is required");
    }
    return apply(KeySettings.basic("", 0), body);
  }

  /** {@code current} with the fields {@code body} names changed. */
  public KeySettings apply(KeySettings current, JsonNode body) {
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw invalid(f + ": unknown field (known: " + String.join(", ", new TreeSet<>(FIELDS)) + ")");
      }
    }
    String name = body.has("name") ? name(body.get("name")) : current.name();
    String description = body.has("description") ? text(body.get("description"), "description", 1000) : current.description();
    List<String> tags = body.has("tags") ? strings(body.get("tags"), "tags", 20, 40) : current.tags();
    KeyLimits l = current.limits();
    int concurrency = body.has("concurrencyLimit") ? (int) integer(body.get("concurrencyLimit"), "concurrencyLimit",
        0, 100_000) : l.concurrency();
    RateWindowLimit window = body.has("rateLimit") ? rateWindow(body.get("rateLimit")) : l.rateWindow();
    long daily = body.has("dailyCostLimit") ? usd(body.get("dailyCostLimit"), "dailyCostLimit") : l.dailyCostMicros();
    long total = body.has("totalCostLimit") ? usd(body.get("totalCostLimit"), "totalCostLimit") : l.totalCostMicros();
    long weekly = body.has("weeklyOpusCostLimit") ? usd(body.get("weeklyOpusCostLimit"), "weeklyOpusCostLimit")
        : l.weeklyOpusCostMicros();
    int resetDay = body.has("weeklyResetDay") ? (int) integer(body.get("weeklyResetDay"), "weeklyResetDay", 1, 7)
        : l.weeklyResetDay();
    int resetHour = body.has("weeklyResetHour") ? (int) integer(body.get("weeklyResetHour"), "weeklyResetHour", 0, 23)
        : l.weeklyResetHour();
    KeyAccess a = current.access();
    Set<String> pools = body.has("permissions") ? permissions(body.get("permissions")) : a.pools();
    List<String> allowedModels = body.has("allowedModels") ? strings(body.get("allowedModels"), "allowedModels", 200, 200)
        : a.allowedModels();
    List<String> blockedModels = body.has("blockedModels") ? strings(body.get("blockedModels"), "blockedModels", 200, 200)
        : a.blockedModels();
    List<String> clients = body.has("allowedClients") ? clients(body.get("allowedClients")) : a.allowedClients();
    KeyExpiry expiry = body.has("expiry") ? expiry(body.get("expiry")) : current.expiry();
    Map<String, Double> rates = body.has("serviceRates") ? rates(body.get("serviceRates")) : current.serviceRates();
    Map<String, KeyBinding> bindings = body.has("bindings") ? bindings(body.get("bindings")) : current.bindings();
    List<ModelRule> modelMap = body.has("modelMap") ? modelMap(body.get("modelMap")) : current.modelMap();
    return new KeySettings(name, description, tags,
        new KeyLimits(concurrency, window, daily, total, weekly, resetDay, resetHour),
        new KeyAccess(pools, allowedModels, blockedModels, clients), expiry, rates, bindings, modelMap);
  }

  /** The key's own model map: the rules the operator's map takes (null or [] clears it). */
  private static List<ModelRule> modelMap(JsonNode n) {
    try {
      return ModelMapJson.parse(n, "modelMap");
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static String name(JsonNode n) {
    if (n == null || !n.isTextual() || n.asText().isBlank() || n.asText().strip().length() > 100) {
      throw invalid("name: a non-empty name of at most 100 characters is required");
    }
    return n.asText().strip();
  }

  private static String text(JsonNode n, String field, int max) {
    if (n.isNull()) {
      return "";
    }
    if (!n.isTextual() || n.asText().length() > max) {
      throw invalid(field + ": must be a string of at most " + max + " characters");
    }
    return n.asText().strip();
  }

  private static List<String> strings(JsonNode n, String field, int maxItems, int maxLength) {
    if (n.isNull()) {
      return List.of();
    }
    String rule = field + ": must be a list of at most " + maxItems + " non-empty strings of at most " + maxLength
        + " characters";
    if (!n.isArray() || n.size() > maxItems) {
      throw invalid(rule);
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (JsonNode e : n) {
      if (!e.isTextual() || e.asText().isBlank() || e.asText().strip().length() > maxLength) {
        throw invalid(rule);
      }
      out.add(e.asText().strip());
    }
    return List.copyOf(out);
  }

  private static long integer(JsonNode n, String field, long min, long max) {
    String rule = field + ": must be an integer from " + min + " to " + max;
    if (n.isNull()) {
      if (min > 0) {
        throw invalid(rule);
      }
      return 0;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
      throw invalid(rule);
    }
    return n.asLong();
  }

  /** USD as a JSON number (or a numeric string) to micro-dollars; null or 0 = no limit. */
  static long usd(JsonNode n, String field) {
    if (n.isNull()) {
      return 0;
    }
    BigDecimal value;
    try {
      value = n.isNumber() ? n.decimalValue() : n.isTextual() ? new BigDecimal(n.asText().strip()) : null;
    } catch (NumberFormatException e) {
      value = null;
    }
    if (value == null || value.signum() < 0 || value.compareTo(MAX_USD) > 0) {
      throw invalid(field + ": must be an amount in USD from 0 (no limit) to " + MAX_USD.toPlainString());
    }
    return value.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  private static RateWindowLimit rateWindow(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw invalid("rateLimit: must be an object {windowMinutes, requests, tokens, cost} or null");
    }
    for (var it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("windowMinutes", "requests", "tokens", "cost").contains(f)) {
        throw invalid("rateLimit." + f + ": unknown field (known: windowMinutes, requests, tokens, cost)");
      }
    }
    if (!n.has("windowMinutes")) {
      throw invalid("rateLimit.windowMinutes: required, an integer from 1 to 43200");
    }
    int minutes = (int) integer(n.get("windowMinutes"), "rateLimit.windowMinutes", 1, 43_200);
    long requests = n.has("requests") ? integer(n.get("requests"), "rateLimit.requests", 0, Long.MAX_VALUE / 4) : 0;
    long tokens = n.has("tokens") ? integer(n.get("tokens"), "rateLimit.tokens", 0, Long.MAX_VALUE / 4) : 0;
    long cost = n.has("cost") ? usd(n.get("cost"), "rateLimit.cost") : 0;
    if (requests == 0 && tokens == 0 && cost == 0) {
      throw invalid("rateLimit: give at least one of requests, tokens or cost (or null for no window)");
    }
    return new RateWindowLimit(minutes, requests, tokens, cost);
  }

  private static Set<String> permissions(JsonNode n) {
    String rule = "permissions: must be \"all\" or a list of pools from " + String.join(", ", new TreeSet<>(KeySettings.POOLS));
    if (n.isNull() || (n.isTextual() && n.asText().equalsIgnoreCase("all"))) {
      return Set.of();
    }
    if (!n.isArray()) {
      throw invalid(rule);
    }
    Set<String> pools = new TreeSet<>();
    for (JsonNode e : n) {
      String pool = e.isTextual() ? pool(e.asText()) : null;
      if (pool == null) {
        throw invalid(rule);
      }
      pools.add(pool);
    }
    if (pools.isEmpty()) {
      throw invalid(rule + " (an empty list would allow nothing; use \"all\")");
    }
    return pools.containsAll(KeySettings.POOLS) ? Set.of() : pools;
  }

  /** A pool name, with "codex" accepted for the OpenAI pool; null when unknown. */
  private static String pool(String name) {
    String p = name.strip().toLowerCase(java.util.Locale.ROOT);
    p = p.equals("codex") ? "openai" : p;
    return KeySettings.POOLS.contains(p) ? p : null;
  }

  private List<String> clients(JsonNode n) {
    List<String> kinds = strings(n, "allowedClients", 20, 40);
    for (String k : kinds) {
      if (!clientKinds.contains(k)) {
        throw invalid("allowedClients: unknown client " + k + " (known: "
            + String.join(", ", new TreeSet<>(clientKinds)) + ")");
      }
    }
    return kinds;
  }

  private static KeyExpiry expiry(JsonNode n) {
    String rule = "expiry: must be null, {\"mode\":\"none\"}, {\"mode\":\"fixed\",\"expiresAt\":\"<ISO-8601 instant>\"}"
        + " or {\"mode\":\"activation\",\"days\":N | \"hours\":N}";
    if (n.isNull()) {
      return KeyExpiry.NONE;
    }
    if (!n.isObject() || !n.path("mode").isTextual()) {
      throw invalid(rule);
    }
    switch (n.get("mode").asText()) {
      case "none" -> {
        return KeyExpiry.NONE;
      }
      case "fixed" -> {
        try {
          long at = Instant.parse(n.path("expiresAt").asText("")).toEpochMilli();
          if (at <= 0) {
            throw invalid(rule);
          }
          return KeyExpiry.fixed(at);
        } catch (DateTimeParseException e) {
          throw invalid("expiry.expiresAt: must be an ISO-8601 instant such as 2026-12-31T23:59:59Z");
        }
      }
      case "activation" -> {
        boolean days = n.has("days");
        boolean hours = n.has("hours");
        if (days == hours) {
          throw invalid("expiry: activation needs exactly one of days (1 to 3650) or hours (1 to 87600)");
        }
        long period = days ? integer(n.get("days"), "expiry.days", 1, 3650) * 24 * HOUR
            : integer(n.get("hours"), "expiry.hours", 1, 87_600) * HOUR;
        return KeyExpiry.activation(period);
      }
      default -> throw invalid(rule);
    }
  }

  private static Map<String, Double> rates(JsonNode n) {
    String rule = "serviceRates: must be an object of pool (" + String.join(", ", new TreeSet<>(KeySettings.POOLS))
        + ") to a multiplier greater than 0 and at most 1000";
    if (n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw invalid(rule);
    }
    Map<String, Double> out = new HashMap<>();
    for (var it = n.fields(); it.hasNext(); ) {
      var e = it.next();
      String pool = pool(e.getKey());
      double rate = e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN;
      if (pool == null || !(rate > 0) || rate > 1000 || !Double.isFinite(rate)) {
        throw invalid(rule);
      }
      out.put(pool, rate);
    }
    return Map.copyOf(out);
  }

  private static Map<String, KeyBinding> bindings(JsonNode n) {
    String rule = "bindings: must be an object of pool to {\"accountId\": id} or {\"group\": name},"
        + " with optional \"fallbackToPool\": true|false";
    if (n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw invalid(rule);
    }
    Map<String, KeyBinding> out = new HashMap<>();
    for (var it = n.fields(); it.hasNext(); ) {
      var e = it.next();
      String pool = pool(e.getKey());
      JsonNode b = e.getValue();
      if (pool == null) {
        throw invalid("bindings." + e.getKey() + ": unknown pool; " + rule);
      }
      if (b.isNull()) {
        continue;
      }
      if (!b.isObject()) {
        throw invalid(rule);
      }
      List<String> unknown = new ArrayList<>();
      b.fieldNames().forEachRemaining(f -> {
        if (!Set.of("accountId", "group", "fallbackToPool").contains(f)) {
          unknown.add(f);
        }
      });
      String account = b.path("accountId").isTextual() ? b.get("accountId").asText().strip() : null;
      String group = b.path("group").isTextual() ? b.get("group").asText().strip() : null;
      boolean hasAccount = account != null && !account.isEmpty();
      boolean hasGroup = group != null && !group.isEmpty();
      JsonNode fallback = b.get("fallbackToPool");
      if (!unknown.isEmpty() || hasAccount == hasGroup || (fallback != null && !fallback.isBoolean())
          || (hasAccount && account.length() > 100) || (hasGroup && group.length() > 100)) {
        throw invalid("bindings." + pool + ": give exactly one of accountId or group (at most 100 characters),"
            + " and fallbackToPool as a boolean");
      }
      out.put(pool, new KeyBinding(hasAccount ? account : null, hasGroup ? group : null,
          fallback != null && fallback.asBoolean()));
    }
    return Map.copyOf(out);
  }

  private static AdminInputException invalid(String message) {
    return AdminInputException.invalid(message);
  }
}
