package dev.relaycluster.apikey;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The key's admission rules as one pure decision over its definition, where it stands and the request:
 * a request is admitted only if every limit holds. In order: the key exists and is usable, it has not
 * expired, concurrency, the rate window (requests, then tokens and cost including what requests in
 * flight reserved), then the daily, total and weekly Opus cost limits (spent plus reserved). A limit is
 * reached when the amount is at or over it, so the last request admitted under a cost limit can overshoot
 * it by at most its own reservation.
 */
public final class Admission {
  private Admission() {}

  public sealed interface Decision {}

  /**
   * The request may go ahead: the rate window after counting it (null when the key has none), what it
   * reserves, and whether this first use starts an activation-mode key's clock.
   */
  public record Admit(RateWindow window, Reservation reservation, boolean activate) implements Decision {}

  /** The request is refused: why, what to tell the client, when to retry (seconds, 0 = not soon) and when the limit resets (0 = never). */
  public record Refuse(Refusal refusal, String message, long retryAfterSeconds, long resetAt) implements Decision {}

  /**
   * @param key the key's definition, or null when the key does not exist
   */
  public static Decision decide(KeyEntry key, KeyMeter meter, RequestFacts facts, long now, ZoneId zone) {
    if (key == null) {
      return new Refuse(Refusal.UNKNOWN_KEY, "invalid x-api-key", 0, 0);
    }
    if (key.status() == KeyStatus.REVOKED) {
      return new Refuse(Refusal.REVOKED, StaticPolicy.REVOKED_MESSAGE, 0, 0);
    }
    if (key.status() == KeyStatus.DELETED) {
      return new Refuse(Refusal.DELETED, StaticPolicy.DELETED_MESSAGE, 0, 0);
    }
    KeySettings settings = key.settings();
    if (settings.expiry().expired(key.activatedAt(), now)) {
      return new Refuse(Refusal.EXPIRED, StaticPolicy.expiredMessage(key.expiresAt()), 0, 0);
    }
    KeyLimits limits = settings.limits();
    if (limits.concurrency() > 0 && meter.leasesInFlight() >= limits.concurrency()) {
      return new Refuse(Refusal.CONCURRENCY, "this API key already has " + meter.leasesInFlight()
          + " requests in flight (concurrency limit " + limits.concurrency() + ")", 1, 0);
    }
    Reserved reserved = meter.reserved();
    RateWindowLimit windowLimit = limits.rateWindow();
    RateWindow window = null;
    if (windowLimit != null) {
      window = RateWindow.at(meter.window(), windowLimit, now);
      boolean fresh = window != meter.window();
      long windowTokens = window.tokens() + (fresh ? 0 : reserved.windowTokens());
      long windowCost = window.costMicros() + (fresh ? 0 : reserved.windowCostMicros());
      String over = null;
      if (windowLimit.maxRequests() > 0 && window.requests() >= windowLimit.maxRequests()) {
        over = windowLimit.maxRequests() + " requests";
      } else if (windowLimit.maxTokens() > 0 && windowTokens >= windowLimit.maxTokens()) {
        over = windowLimit.maxTokens() + " tokens";
      } else if (windowLimit.maxCostMicros() > 0 && windowCost >= windowLimit.maxCostMicros()) {
        over = Usd.format(windowLimit.maxCostMicros());
      }
      if (over != null) {
        long retry = Math.max(1, (window.end() - now + 999) / 1000);
        return new Refuse(Refusal.RATE_WINDOW, "rate limit of this API key reached: " + over + " per "
            + windowLimit.minutes() + "-minute window; the window resets at " + Instant.ofEpochMilli(window.end()),
            retry, window.end());
      }
      window = window.withRequest();
    }
    if (limits.dailyCostMicros() > 0
        && meter.spent().today(now, zone) + reserved.costMicros() >= limits.dailyCostMicros()) {
      long reset = ResetCalendar.nextDayStart(now, zone);
      return costRefusal(Refusal.DAILY_COST, "daily cost limit of this API key (" + Usd.format(limits.dailyCostMicros())
          + ") reached; it resets at " + Instant.ofEpochMilli(reset), now, reset);
    }
    if (limits.totalCostMicros() > 0 && meter.spent().totalMicros() + reserved.costMicros() >= limits.totalCostMicros()) {
      return costRefusal(Refusal.TOTAL_COST, "total cost limit of this API key (" + Usd.format(limits.totalCostMicros())
          + ") reached; it does not reset", now, 0);
    }
    boolean opus = facts.opus();
    if (opus && limits.weeklyOpusCostMicros() > 0) {
      long spent = meter.spent().weekOpus(now, zone, limits.weeklyResetDay(), limits.weeklyResetHour());
      if (spent + reserved.opusCostMicros() >= limits.weeklyOpusCostMicros()) {
        long reset = ResetCalendar.nextWeekStart(now, zone, limits.weeklyResetDay(), limits.weeklyResetHour());
        return costRefusal(Refusal.WEEKLY_OPUS_COST, "weekly Opus cost limit of this API key ("
            + Usd.format(limits.weeklyOpusCostMicros()) + ") reached; it resets at " + Instant.ofEpochMilli(reset),
            now, reset);
      }
    }
    Reservation reservation = new Reservation(facts.estimatedCostMicros(), facts.estimatedTokens(), opus,
        window == null ? 0 : window.start());
    return new Admit(window, reservation, settings.expiry().activatesOnFirstUse(key.activatedAt()));
  }

  private static Refuse costRefusal(Refusal refusal, String message, long now, long reset) {
    long retry = reset > 0 ? Math.max(1, (reset - now + 999) / 1000) : 0;
    return new Refuse(refusal, message, retry, reset);
  }
}
