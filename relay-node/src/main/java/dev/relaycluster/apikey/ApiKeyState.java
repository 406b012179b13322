package dev.relaycluster.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.relaycluster.apikey.ApiKeyEntity.Event;
import dev.relaycluster.apikey.ApiKeyEntity.KeyActivated;
import dev.relaycluster.apikey.ApiKeyEntity.KeyCreated;
import dev.relaycluster.apikey.ApiKeyEntity.KeyDeleted;
import dev.relaycluster.apikey.ApiKeyEntity.KeyRestored;
import dev.relaycluster.apikey.ApiKeyEntity.KeyRevoked;
import dev.relaycluster.apikey.ApiKeyEntity.KeyUpdated;
import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.usage.UsageEvent;
import dev.relaycluster.usage.UsageRecord;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link ApiKeyEntity}'s state: the key as its events left it; {@code revision} counts definition
 * events only. {@code totals} are the durable rated-cost totals (day, week, all time) that cost limits
 * are checked against. Immutable; {@link #apply} returns the next state.
 *
 * <p>Snapshots written before this record had its own file carry the manifest
 * {@code dev.relaycluster.apikey.ApiKeyEntity$State}; {@link ApiKeyStateMigration} reads them as this
 * class, so its JSON shape must stay what that record wrote (same field names).
 */
public record ApiKeyState(
    String keyId,
    String name,
    String keyHash,
    String keyHint,
    int concurrencyLimit,
    long createdAt,
    long revokedAt,
    long revision,
    long requests,
    long totalTokens,
    long costMicros,
    List<String> recentRequestIds,
    KeySettings settings,
    long activatedAt,
    long deletedAt,
    CostTotals totals,
    // Left out when null, so a key's snapshot reads and writes as before imports existed.
    @JsonInclude(JsonInclude.Include.NON_NULL) String legacySalt) implements CborSerializable {

  /** How many request ids the state remembers (and every snapshot carries) to count a settlement once. */
  static final int REMEMBERED_REQUEST_IDS = 512;

  public ApiKeyState {
    recentRequestIds = recentRequestIds == null ? List.of() : recentRequestIds;
    totals = totals == null ? CostTotals.ZERO : totals;
  }

  public static ApiKeyState empty(String keyId) {
    return new ApiKeyState(keyId, null, null, null, 0, 0, 0, 0, 0, 0, 0, List.of(), null, 0, 0, CostTotals.ZERO, null);
  }

  public boolean exists() {
    return keyHash != null;
  }

  public boolean revoked() {
    return revokedAt > 0;
  }

  public boolean deleted() {
    return deletedAt > 0;
  }

  public boolean recorded(String requestId) {
    return RecentRequestIds.contains(recentRequestIds, requestId);
  }

  /** The settings in force (keys created before settings existed have a name and a concurrency limit). */
  public KeySettings currentSettings() {
    return settings != null ? settings : KeySettings.basic(name, concurrencyLimit);
  }

  /** Applies an event, with day buckets in UTC (enough for the directory, which needs no totals). */
  public ApiKeyState apply(Event event) {
    return apply(event, ZoneOffset.UTC);
  }

  /** Applies an event; usage is bucketed into days and weeks in {@code zone}. */
  public ApiKeyState apply(Event event, ZoneId zone) {
    if (event instanceof UsageEvent recorded) {
      return withUsage(recorded.records(), zone);
    }
    KeySettings s = currentSettings();
    long created = createdAt;
    String hash = keyHash;
    String hint = keyHint;
    long revoked = revokedAt;
    long activated = activatedAt;
    long deleted = deletedAt;
    String salt = legacySalt;
    if (event instanceof KeyCreated c) {
      salt = c.legacySalt();
      s = KeySettings.basic(c.name(), c.concurrencyLimit());
      created = c.createdAt();
      hash = c.keyHash();
      hint = c.keyHint();
    } else if (event instanceof KeyUpdated u) {
      s = u.settings();
    } else if (event instanceof KeyRevoked r) {
      revoked = r.revokedAt();
    } else if (event instanceof KeyDeleted d) {
      deleted = d.at();
    } else if (event instanceof KeyRestored) {
      deleted = 0;
    } else if (event instanceof KeyActivated a) {
      activated = a.at();
    }
    return new ApiKeyState(keyId, s.name(), hash, hint, s.limits().concurrency(), created, revoked, revision + 1,
        requests, totalTokens, costMicros, recentRequestIds, s, activated, deleted, totals, salt);
  }

  /** The state with {@code usage} counted in order, as if applied one by one, made once for the whole batch. */
  private ApiKeyState withUsage(List<UsageRecord> usage, ZoneId zone) {
    if (usage.isEmpty()) {
      return this;
    }
    KeyLimits limits = currentSettings().limits();
    long nextRequests = requests;
    long nextTokens = totalTokens;
    long nextCost = costMicros;
    CostTotals nextTotals = totals;
    List<String> ids = new ArrayList<>(usage.size());
    for (UsageRecord u : usage) {
      nextRequests++;
      nextTokens += u.totalTokens();
      nextCost += u.costMicros();
      nextTotals = addCost(nextTotals, u, limits, zone);
      ids.add(u.requestId());
    }
    List<String> recent = RecentRequestIds.appendAll(recentRequestIds, ids, REMEMBERED_REQUEST_IDS);
    return new ApiKeyState(keyId, name, keyHash, keyHint, concurrencyLimit, createdAt, revokedAt, revision,
        nextRequests, nextTokens, nextCost, recent, settings, activatedAt, deletedAt, nextTotals, legacySalt);
  }

  /** The totals with one more usage counted, at the time the request ended. */
  static CostTotals addCost(CostTotals totals, UsageRecord u, KeyLimits limits, ZoneId zone) {
    boolean opus = RequestFacts.isOpus(u.model()) || RequestFacts.isOpus(u.servedModel());
    long endedAt = u.startedAt() + Math.max(0, u.durationMs());
    return totals.add(endedAt, ratedCost(u), opus, zone, limits.weeklyResetDay(), limits.weeklyResetHour());
  }

  /** The rated cost a usage counts against limits with (its real cost when it was not rated). */
  static long ratedCost(UsageRecord u) {
    return u.ratedCostMicros() > 0 || u.costMicros() == 0 ? u.ratedCostMicros() : u.costMicros();
  }

  public KeyEntry toEntry() {
    KeyStatus status = revoked() ? KeyStatus.REVOKED : deleted() ? KeyStatus.DELETED : KeyStatus.ACTIVE;
    KeySettings s = currentSettings();
    return new KeyEntry(keyId, s.name(), keyHash, keyHint, s.limits().concurrency(), status, createdAt, revokedAt,
        revision, s, activatedAt, deletedAt, legacySalt);
  }
}
