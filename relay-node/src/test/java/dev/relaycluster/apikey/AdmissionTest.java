package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every admission limit at and across its edge, without actors. */
class AdmissionTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  /** Wednesday 2026-11-18 12:00 UTC. */
  private static final long NOW = Instant.parse("2026-11-18T12:00:00Z").toEpochMilli();
  private static final RequestFacts SONNET = new RequestFacts("claude", "anthropic", "claude-sonnet-4-5", "claude-code",
      1_000, 500);
  private static final RequestFacts OPUS = new RequestFacts("claude", "anthropic", "claude-opus-4-1-20250805",
      "claude-code", 1_000, 500);

  private static KeyEntry key(KeyLimits limits) {
    return key(limits, KeyExpiry.NONE, 0);
  }

  private static KeyEntry key(KeyLimits limits, KeyExpiry expiry, long activatedAt) {
    KeySettings s = new KeySettings("k", "", List.of(), limits, KeyAccess.ANY, expiry, Map.of(), Map.of());
    return new KeyEntry("id", "k", "hash", "cr_x", limits.concurrency(), KeyStatus.ACTIVE, 1, 0, 2, s, activatedAt, 0);
  }

  private static KeyMeter meter() {
    return new KeyMeter(0, null, Reserved.NONE, CostTotals.ZERO);
  }

  private static Admission.Refuse refused(Admission.Decision d, Refusal expected) {
    Admission.Refuse r = assertInstanceOf(Admission.Refuse.class, d);
    assertEquals(expected, r.refusal(), r.message());
    return r;
  }

  private static Admission.Admit admitted(Admission.Decision d) {
    return assertInstanceOf(Admission.Admit.class, d, () -> d.toString());
  }

  private static KeyLimits limits(int concurrency, RateWindowLimit window, long daily, long total, long weeklyOpus) {
    return new KeyLimits(concurrency, window, daily, total, weeklyOpus, 1, 0);
  }

  @Test
  void unknownRevokedAndDeletedKeysAreRefused() {
    refused(Admission.decide(null, meter(), SONNET, NOW, UTC), Refusal.UNKNOWN_KEY);
    KeyEntry k = key(KeyLimits.NONE);
    KeyEntry revoked = new KeyEntry(k.id(), k.name(), k.keyHash(), k.keyHint(), 0, KeyStatus.REVOKED, 1, 5, 3,
        k.settings(), 0, 0);
    assertEquals("this API key has been revoked", refused(Admission.decide(revoked, meter(), SONNET, NOW, UTC),
        Refusal.REVOKED).message());
    KeyEntry deleted = new KeyEntry(k.id(), k.name(), k.keyHash(), k.keyHint(), 0, KeyStatus.DELETED, 1, 0, 3,
        k.settings(), 0, 5);
    refused(Admission.decide(deleted, meter(), SONNET, NOW, UTC), Refusal.DELETED);
  }

  @Test
  void aKeyWithoutLimitsIsAdmittedAndReservesItsEstimate() {
    Admission.Admit a = admitted(Admission.decide(key(KeyLimits.NONE), meter(), OPUS, NOW, UTC));
    assertNull(a.window());
    assertEquals(new Reservation(1_000, 500, true, 0), a.reservation());
    assertFalse(a.activate());
  }

  @Test
  void fixedExpiryHoldsUpToTheMillisecondBefore() {
    KeyEntry k = key(KeyLimits.NONE, KeyExpiry.fixed(NOW + 1), 0);
    admitted(Admission.decide(k, meter(), SONNET, NOW, UTC));
    Admission.Refuse r = refused(Admission.decide(k, meter(), SONNET, NOW + 1, UTC), Refusal.EXPIRED);
    assertEquals("this API key expired at 2026-11-18T12:00:00.001Z", r.message());
    assertEquals(401, r.refusal().status());
  }

  @Test
  void activationStartsAtFirstUseAndEndsAfterItsPeriod() {
    long day = 86_400_000L;
    KeyEntry fresh = key(KeyLimits.NONE, KeyExpiry.activation(day), 0);
    assertTrue(admitted(Admission.decide(fresh, meter(), SONNET, NOW + 365 * day, UTC)).activate(),
        "an unactivated key never expires and is activated by its first admission");
    KeyEntry active = key(KeyLimits.NONE, KeyExpiry.activation(day), NOW);
    assertFalse(admitted(Admission.decide(active, meter(), SONNET, NOW + day - 1, UTC)).activate());
    refused(Admission.decide(active, meter(), SONNET, NOW + day, UTC), Refusal.EXPIRED);
  }

  @Test
  void concurrencyAdmitsUpToTheLimit() {
    KeyEntry k = key(limits(2, null, 0, 0, 0));
    admitted(Admission.decide(k, new KeyMeter(1, null, Reserved.NONE, CostTotals.ZERO), SONNET, NOW, UTC));
    Admission.Refuse r = refused(Admission.decide(k, new KeyMeter(2, null, Reserved.NONE, CostTotals.ZERO), SONNET,
        NOW, UTC), Refusal.CONCURRENCY);
    assertEquals(1, r.retryAfterSeconds());
    assertEquals(429, r.refusal().status());
  }

  @Test
  void windowRequestsAtAndOverTheCapAndTheWindowReopening() {
    RateWindowLimit limit = new RateWindowLimit(10, 3, 0, 0);
    KeyEntry k = key(limits(0, limit, 0, 0, 0));
    Admission.Admit first = admitted(Admission.decide(k, meter(), SONNET, NOW, UTC));
    assertEquals(new RateWindow(NOW, 600_000, 1, 0, 0), first.window(), "the first request opens the window");
    assertEquals(NOW, first.reservation().windowStart());
    RateWindow two = new RateWindow(NOW, 600_000, 2, 0, 0);
    RateWindow three = admitted(Admission.decide(k, new KeyMeter(0, two, Reserved.NONE, CostTotals.ZERO), SONNET,
        NOW + 1_000, UTC)).window();
    assertEquals(3, three.requests());
    Admission.Refuse r = refused(Admission.decide(k, new KeyMeter(0, three, Reserved.NONE, CostTotals.ZERO), SONNET,
        NOW + 1_500, UTC), Refusal.RATE_WINDOW);
    assertEquals(599, r.retryAfterSeconds(), "seconds until the window ends, rounded up");
    assertEquals(NOW + 600_000, r.resetAt());
    assertTrue(r.message().contains("3 requests per 10-minute window"), r.message());
    refused(Admission.decide(k, new KeyMeter(0, three, Reserved.NONE, CostTotals.ZERO), SONNET, NOW + 599_999, UTC),
        Refusal.RATE_WINDOW);
    Admission.Admit reopened = admitted(Admission.decide(k, new KeyMeter(0, three, Reserved.NONE, CostTotals.ZERO),
        SONNET, NOW + 600_000, UTC));
    assertEquals(new RateWindow(NOW + 600_000, 600_000, 1, 0, 0), reopened.window());
  }

  @Test
  void windowTokensCountUsedAndReservedOfThisWindowOnly() {
    KeyEntry k = key(limits(0, new RateWindowLimit(60, 0, 1_000, 0), 0, 0, 0));
    RateWindow w = new RateWindow(NOW, 3_600_000, 5, 600, 0);
    admitted(Admission.decide(k, new KeyMeter(1, w, new Reserved(0, 0, 0, 399), CostTotals.ZERO), SONNET, NOW, UTC));
    Admission.Refuse r = refused(Admission.decide(k, new KeyMeter(1, w, new Reserved(0, 0, 0, 400), CostTotals.ZERO),
        SONNET, NOW, UTC), Refusal.RATE_WINDOW);
    assertTrue(r.message().contains("1000 tokens"), r.message());
    // Once the window has ended, what it used and what was reserved in it no longer count.
    admitted(Admission.decide(k, new KeyMeter(1, w, new Reserved(0, 0, 0, 400), CostTotals.ZERO), SONNET,
        NOW + 3_600_000, UTC));
  }

  @Test
  void windowCostCountsUsedAndReserved() {
    KeyEntry k = key(limits(0, new RateWindowLimit(60, 0, 0, 5_000), 0, 0, 0));
    RateWindow w = new RateWindow(NOW, 3_600_000, 5, 0, 3_000);
    admitted(Admission.decide(k, new KeyMeter(0, w, new Reserved(1_999, 0, 1_999, 0), CostTotals.ZERO), SONNET, NOW, UTC));
    Admission.Refuse r = refused(Admission.decide(k, new KeyMeter(0, w, new Reserved(2_000, 0, 2_000, 0),
        CostTotals.ZERO), SONNET, NOW, UTC), Refusal.RATE_WINDOW);
    assertTrue(r.message().contains("$0.005 per 60-minute window"), r.message());
  }

  @Test
  void dailyCostAtTheLimitIs402UntilTheNextDayInTheZone() {
    KeyEntry k = key(limits(0, null, 10_000, 0, 0));
    long today = ResetCalendar.dayStart(NOW, UTC);
    CostTotals spent = new CostTotals(50_000, today, 6_000, 0, 0);
    admitted(Admission.decide(k, new KeyMeter(1, null, new Reserved(3_999, 0, 0, 0), spent), SONNET, NOW, UTC));
    Admission.Refuse r = refused(Admission.decide(k, new KeyMeter(1, null, new Reserved(4_000, 0, 0, 0), spent),
        SONNET, NOW, UTC), Refusal.DAILY_COST);
    assertEquals(402, r.refusal().status());
    assertEquals(Instant.parse("2026-11-19T00:00:00Z").toEpochMilli(), r.resetAt());
    assertEquals(12 * 3600, r.retryAfterSeconds());
    assertEquals("daily cost limit of this API key ($0.01) reached; it resets at 2026-11-19T00:00:00Z", r.message());
    // Yesterday's spending does not count today.
    CostTotals yesterday = new CostTotals(50_000, today - 86_400_000L, 20_000, 0, 0);
    admitted(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE, yesterday), SONNET, NOW, UTC));
    // Days are counted in the configured zone: in UTC+14 it is already the 19th, whose day began at 10:00 UTC.
    ZoneId kiribati = ZoneId.of("Pacific/Kiritimati");
    CostTotals local = new CostTotals(50_000, ResetCalendar.dayStart(NOW, kiribati), 10_000, 0, 0);
    refused(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE, local), SONNET, NOW, kiribati), Refusal.DAILY_COST);
    admitted(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE, local), SONNET,
        ResetCalendar.nextDayStart(NOW, kiribati), kiribati));
  }

  @Test
  void totalCostNeverResets() {
    KeyEntry k = key(limits(0, null, 0, 100_000, 0));
    admitted(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE, new CostTotals(99_999, 0, 0, 0, 0)), SONNET,
        NOW, UTC));
    Admission.Refuse r = refused(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE,
        new CostTotals(100_000, 0, 0, 0, 0)), SONNET, NOW, UTC), Refusal.TOTAL_COST);
    assertEquals(0, r.retryAfterSeconds());
    assertEquals(0, r.resetAt());
    assertTrue(r.message().contains("($0.10) reached; it does not reset"), r.message());
  }

  @Test
  void weeklyOpusLimitCountsOpusOnlyAndResetsOnItsDayAndHour() {
    // Resets on Wednesdays at 09:00 UTC; NOW is Wednesday 12:00, so this week began three hours ago.
    KeyLimits limits = new KeyLimits(0, null, 0, 0, 20_000, 3, 9);
    KeyEntry k = key(limits);
    long weekStart = Instant.parse("2026-11-18T09:00:00Z").toEpochMilli();
    CostTotals spent = new CostTotals(30_000, 0, 0, weekStart, 20_000);
    Admission.Refuse r = refused(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE, spent), OPUS, NOW, UTC),
        Refusal.WEEKLY_OPUS_COST);
    assertEquals(Instant.parse("2026-11-25T09:00:00Z").toEpochMilli(), r.resetAt());
    assertTrue(r.message().startsWith("weekly Opus cost limit of this API key ($0.02) reached"), r.message());
    admitted(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE, spent), SONNET, NOW, UTC));
    CostTotals under = new CostTotals(30_000, 0, 0, weekStart, 19_000);
    admitted(Admission.decide(k, new KeyMeter(0, null, new Reserved(999, 999, 0, 0), under), OPUS, NOW, UTC));
    refused(Admission.decide(k, new KeyMeter(0, null, new Reserved(1_000, 1_000, 0, 0), under), OPUS, NOW, UTC),
        Refusal.WEEKLY_OPUS_COST);
    // Reserved non-Opus requests do not count toward the Opus limit.
    admitted(Admission.decide(k, new KeyMeter(0, null, new Reserved(50_000, 999, 0, 0), under), OPUS, NOW, UTC));
    // The millisecond before this week's reset, the spending belonged to last week.
    long lastWeek = weekStart - 7 * 86_400_000L;
    CostTotals old = new CostTotals(30_000, 0, 0, lastWeek, 20_000);
    refused(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE, old), OPUS, weekStart - 1, UTC),
        Refusal.WEEKLY_OPUS_COST);
    admitted(Admission.decide(k, new KeyMeter(0, null, Reserved.NONE, old), OPUS, weekStart, UTC));
  }

  @Test
  void concurrentAdmissionsOvershootACostLimitByLessThanOneEstimate() {
    long limit = 1_000_000;
    long estimate = 70_000;
    KeyEntry k = key(limits(0, null, 0, limit, 0));
    long reserved = 0;
    int admitted = 0;
    while (Admission.decide(k, new KeyMeter(admitted, null, new Reserved(reserved, 0, 0, 0), CostTotals.ZERO),
        new RequestFacts("claude", "anthropic", "m", "x", estimate, 0), NOW, UTC) instanceof Admission.Admit) {
      reserved += estimate;
      admitted++;
    }
    assertEquals(15, admitted, "admitted while reserved < limit: 14 × 70k = 980k < 1M, then 15 × 70k");
    assertTrue(reserved < limit + estimate);
    assertTrue(reserved >= limit);
  }

  @Test
  void checksRunInOrderExpiryConcurrencyWindowDailyTotalWeekly() {
    KeyLimits all = new KeyLimits(1, new RateWindowLimit(1, 1, 0, 0), 1, 1, 1, 1, 0);
    RateWindow full = new RateWindow(NOW, 60_000, 1, 0, 0);
    CostTotals spent = new CostTotals(10, ResetCalendar.dayStart(NOW, UTC), 10,
        ResetCalendar.weekStart(NOW, UTC, 1, 0), 10);
    refused(Admission.decide(key(all, KeyExpiry.fixed(NOW), 0), new KeyMeter(1, full, Reserved.NONE, spent), OPUS, NOW,
        UTC), Refusal.EXPIRED);
    refused(Admission.decide(key(all), new KeyMeter(1, full, Reserved.NONE, spent), OPUS, NOW, UTC), Refusal.CONCURRENCY);
    refused(Admission.decide(key(all), new KeyMeter(0, full, Reserved.NONE, spent), OPUS, NOW, UTC), Refusal.RATE_WINDOW);
    refused(Admission.decide(key(all), new KeyMeter(0, null, Reserved.NONE, spent), OPUS, NOW, UTC), Refusal.DAILY_COST);
    KeyLimits noDaily = new KeyLimits(0, null, 0, 1, 1, 1, 0);
    refused(Admission.decide(key(noDaily), new KeyMeter(0, null, Reserved.NONE, spent), OPUS, NOW, UTC),
        Refusal.TOTAL_COST);
    KeyLimits weeklyOnly = new KeyLimits(0, null, 0, 0, 1, 1, 0);
    refused(Admission.decide(key(weeklyOnly), new KeyMeter(0, null, Reserved.NONE, spent), OPUS, NOW, UTC),
        Refusal.WEEKLY_OPUS_COST);
  }
}
