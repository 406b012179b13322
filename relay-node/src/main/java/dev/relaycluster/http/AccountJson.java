package dev.relaycluster.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.CooldownMark;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.admin.AccountDetail;
import java.time.Instant;
import java.util.Locale;

/** The admin API's JSON of an account: as listed (definition and health) and in detail. */
final class AccountJson {
  private AccountJson() {}

  /** An account as the admin API lists it: its definition's shown fields and its health now. */
  static ObjectNode account(PoolEntry a) {
    ObjectNode n = JsonResponses.MAPPER.createObjectNode();
    n.put("id", a.id()).put("name", a.name()).put("platform", a.platform()).put("type", a.type().wireName())
        .put("baseUrl", a.baseUrl()).put("priority", a.priority()).put("maxConcurrency", a.maxConcurrency())
        .put("status", a.status().name().toLowerCase(Locale.ROOT)).put("schedulable", a.schedulable())
        .put("createdAt", Instant.ofEpochMilli(a.createdAt()).toString())
        .put("updatedAt", Instant.ofEpochMilli(a.updatedAt()).toString());
    accountHealth(n, a);
    return n;
  }

  /** Tier, groups, price multiplier, proxy (without password), and health: state, cooldowns, utilisation. */
  private static void accountHealth(ObjectNode n, PoolEntry a) {
    long now = System.currentTimeMillis();
    var active = a.cooldowns().stream().filter(m -> m.activeAt(now)).toList();
    boolean wholeAccount = active.stream().anyMatch(m -> m.family().equals(CooldownMark.WHOLE_ACCOUNT));
    n.put("state", !a.schedulable() ? a.status().name().toLowerCase(Locale.ROOT)
        : wholeAccount ? "cooling" : active.isEmpty() ? "active" : "partly_cooling");
    if (a.statusReason() != null) {
      n.put("stateReason", a.statusReason());
    }
    n.put("tier", a.tier().wireName()).put("priceMultiplier", a.priceMultiplier());
    var groups = n.putArray("groups");
    a.groups().forEach(groups::add);
    if (a.proxy() != null) {
      n.put("proxy", a.proxy());
    } else {
      n.putNull("proxy");
    }
    if (a.utilisation() >= 0) {
      n.put("utilisation", a.utilisation());
    } else {
      n.putNull("utilisation");
    }
    var windows = n.putObject("windows");
    if (a.windows() != null && a.windows().fiveHour() >= 0) {
      windows.put("fiveHour", a.windows().fiveHour());
    } else {
      windows.putNull("fiveHour");
    }
    if (a.windows() != null && a.windows().weekly() >= 0) {
      windows.put("weekly", a.windows().weekly());
    } else {
      windows.putNull("weekly");
    }
    var cooldowns = n.putArray("cooldowns");
    active.forEach(m -> cooldowns.addObject().put("family", m.family())
        .put("until", Instant.ofEpochMilli(m.until()).toString()).put("reason", m.reason())
        .put("status", m.status()).put("transient", m.transientError()));
  }

  /**
   * A gemini-oauth account's Google Cloud project (not a secret) and its last background quota reading:
   * {@code quota: {fetchedAt, buckets:[{modelId, tokenType, remainingAmount, remainingFraction, resetTime}]}},
   * null before the first.
   */
  private static void accountQuota(ObjectNode out, AccountDetail d) {
    if (d.entry().type() != AccountType.GEMINI_OAUTH) {
      return;
    }
    if (d.projectId() != null) {
      out.put("projectId", d.projectId());
    } else {
      out.putNull("projectId");
    }
    if (d.quota() == null) {
      out.putNull("quota");
      return;
    }
    ObjectNode quota = out.putObject("quota").put("fetchedAt", Instant.ofEpochMilli(d.quota().fetchedAt()).toString());
    var buckets = quota.putArray("buckets");
    d.quota().buckets().forEach(b -> {
      ObjectNode n = buckets.addObject().put("modelId", b.modelId()).put("tokenType", b.tokenType());
      if (b.remainingAmount() >= 0) {
        n.put("remainingAmount", b.remainingAmount());
      } else {
        n.putNull("remainingAmount");
      }
      if (b.remainingFraction() >= 0) {
        n.put("remainingFraction", b.remainingFraction());
      } else {
        n.putNull("remainingFraction");
      }
      if (b.resetAt() > 0) {
        n.put("resetTime", Instant.ofEpochMilli(b.resetAt()).toString());
      } else {
        n.putNull("resetTime");
      }
    });
  }

  /**
   * {@code GET /admin/api/accounts/{id}}: the account as listed, with its leases in flight, when it was last
   * used, its recent errors, a gemini-oauth account's project and quota, and its settings that are not secret.
   */
  static ObjectNode detail(AccountDetail d) {
    ObjectNode out = account(d.entry());
    out.put("leasesInFlight", d.leasesInFlight());
    if (d.lastUsedAt() > 0) {
      out.put("lastUsedAt", Instant.ofEpochMilli(d.lastUsedAt()).toString());
    }
    ArrayNode errors = out.putArray("recentErrors");
    d.recentErrors().forEach(e -> errors.addObject().put("at", Instant.ofEpochMilli(e.at()).toString())
        .put("status", e.status()).put("kind", e.kind()).put("message", e.message()));
    accountQuota(out, d);
    if (!d.settings().isEmpty()) {
      ObjectNode settings = out.putObject("settings");
      d.settings().forEach(settings::put);
    }
    return out;
  }
}
