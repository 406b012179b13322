package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyExpiry;
import dev.relaycluster.apikey.KeyLimits;
import dev.relaycluster.apikey.KeySettings;
import dev.relaycluster.apikey.KeyUsage;
import dev.relaycluster.apikey.RateWindow;
import dev.relaycluster.apikey.RateWindowLimit;
import dev.relaycluster.apikey.Usd;
import dev.relaycluster.config.ModelMapJson;
import dev.relaycluster.protocol.util.Json;
import java.time.Instant;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A key as JSON, in the shape the admin API accepts it (money in USD, times in ISO-8601), and its usage
 * against its limits: what was used, what remains, and when each limit resets. Never the key's hash.
 */
public final class KeyJson {
  private KeyJson() {}

  public static ObjectNode key(KeyEntry k) {
    KeySettings s = k.settings();
    KeyLimits l = s.limits();
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", k.id()).put("name", k.name()).put("description", s.description()).put("keyHint", k.keyHint())
        .put("status", k.status().name().toLowerCase(Locale.ROOT))
        .put("createdAt", iso(k.createdAt()));
    s.tags().forEach(n.putArray("tags")::add);
    putTime(n, "revokedAt", k.revokedAt());
    putTime(n, "deletedAt", k.deletedAt());
    putTime(n, "activatedAt", k.activatedAt());
    putTime(n, "expiresAt", k.expiresAt());
    if (s.access().pools().isEmpty()) {
      n.put("permissions", "all");
    } else {
      new TreeSet<>(s.access().pools()).forEach(n.putArray("permissions")::add);
    }
    n.put("concurrencyLimit", l.concurrency());
    RateWindowLimit w = l.rateWindow();
    if (w == null) {
      n.putNull("rateLimit");
    } else {
      n.putObject("rateLimit").put("windowMinutes", w.minutes()).put("requests", w.maxRequests())
          .put("tokens", w.maxTokens()).put("cost", Usd.of(w.maxCostMicros()));
    }
    n.put("dailyCostLimit", Usd.of(l.dailyCostMicros())).put("totalCostLimit", Usd.of(l.totalCostMicros()))
        .put("weeklyOpusCostLimit", Usd.of(l.weeklyOpusCostMicros()))
        .put("weeklyResetDay", l.weeklyResetDay()).put("weeklyResetHour", l.weeklyResetHour());
    ObjectNode expiry = n.putObject("expiry").put("mode", s.expiry().mode().name().toLowerCase(Locale.ROOT));
    if (s.expiry().mode() == KeyExpiry.Mode.FIXED) {
      expiry.put("expiresAt", iso(s.expiry().expiresAt()));
    } else if (s.expiry().mode() == KeyExpiry.Mode.ACTIVATION) {
      long hours = s.expiry().activationMillis() / 3_600_000L;
      if (hours % 24 == 0) {
        expiry.put("days", hours / 24);
      } else {
        expiry.put("hours", hours);
      }
    }
    s.access().allowedModels().forEach(n.putArray("allowedModels")::add);
    s.access().blockedModels().forEach(n.putArray("blockedModels")::add);
    s.access().allowedClients().forEach(n.putArray("allowedClients")::add);
    ObjectNode rates = n.putObject("serviceRates");
    new TreeMap<>(s.serviceRates()).forEach(rates::put);
    ObjectNode bindings = n.putObject("bindings");
    new TreeMap<>(s.bindings()).forEach((pool, b) -> {
      ObjectNode o = bindings.putObject(pool);
      if (b.accountId() != null) {
        o.put("accountId", b.accountId());
      }
      if (b.group() != null) {
        o.put("group", b.group());
      }
      o.put("fallbackToPool", b.fallbackToPool());
    });
    n.set("modelMap", ModelMapJson.toJson(s.modelMap()));
    return n;
  }

  /** What the key used, what remains of each limit it has, and when the limits reset. */
  public static ObjectNode usage(KeyUsage u) {
    KeyLimits l = u.key().settings().limits();
    ObjectNode n = Json.mapper().createObjectNode();
    ObjectNode used = n.putObject("usage");
    used.put("requests", u.requests()).put("inFlight", u.inFlight()).put("tokens", u.totalTokens())
        .put("costToday", Usd.of(u.todayMicros())).put("costThisWeekOpus", Usd.of(u.weekOpusMicros()))
        .put("costTotal", Usd.of(u.totalRatedMicros())).put("realCostTotal", Usd.of(u.totalRealMicros()))
        .put("reservedInFlight", Usd.of(u.reservedMicros()));
    RateWindow w = u.window();
    if (w == null) {
      used.putNull("window");
    } else {
      used.putObject("window").put("start", iso(w.start())).put("end", iso(w.end())).put("requests", w.requests())
          .put("tokens", w.tokens()).put("cost", Usd.of(w.costMicros()));
    }
    ObjectNode remaining = n.putObject("remaining");
    if (l.concurrency() > 0) {
      remaining.put("concurrency", Math.max(0, l.concurrency() - u.inFlight()));
    }
    RateWindowLimit wl = l.rateWindow();
    if (wl != null) {
      if (wl.maxRequests() > 0) {
        remaining.put("windowRequests", Math.max(0, wl.maxRequests() - (w == null ? 0 : w.requests())));
      }
      if (wl.maxTokens() > 0) {
        remaining.put("windowTokens", Math.max(0, wl.maxTokens() - (w == null ? 0 : w.tokens())));
      }
      if (wl.maxCostMicros() > 0) {
        remaining.put("windowCost", Usd.of(Math.max(0, wl.maxCostMicros() - (w == null ? 0 : w.costMicros()))));
      }
    }
    if (l.dailyCostMicros() > 0) {
      remaining.put("dailyCost", Usd.of(Math.max(0, l.dailyCostMicros() - u.todayMicros())));
    }
    if (l.totalCostMicros() > 0) {
      remaining.put("totalCost", Usd.of(Math.max(0, l.totalCostMicros() - u.totalRatedMicros())));
    }
    if (l.weeklyOpusCostMicros() > 0) {
      remaining.put("weeklyOpusCost", Usd.of(Math.max(0, l.weeklyOpusCostMicros() - u.weekOpusMicros())));
    }
    ObjectNode resets = n.putObject("resets").put("daily", iso(u.dayResetAt())).put("weeklyOpus", iso(u.weekResetAt()));
    if (w != null) {
      resets.put("window", iso(w.end()));
    }
    return n;
  }

  private static void putTime(ObjectNode n, String field, long at) {
    if (at > 0) {
      n.put(field, iso(at));
    }
  }

  private static String iso(long at) {
    return Instant.ofEpochMilli(at).toString();
  }
}
