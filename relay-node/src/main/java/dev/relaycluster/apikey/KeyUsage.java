package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;
import java.time.ZoneId;

/**
 * A key's usage as its entity sees it at {@code now}: requests in flight and recorded, its open rate
 * window (null when none is open), rated cost today, this week for the Opus family and in all, real cost
 * in all, what requests in flight reserved, and when the daily and weekly totals reset.
 */
public record KeyUsage(
    KeyEntry key,
    long now,
    int inFlight,
    long requests,
    long totalTokens,
    RateWindow window,
    long todayMicros,
    long weekOpusMicros,
    long totalRatedMicros,
    long totalRealMicros,
    long reservedMicros,
    long dayResetAt,
    long weekResetAt) implements CborSerializable {

  /**
   * The usage of the key in {@code state} at {@code now}, with {@code inFlight} leases held (requests and
   * slots granted to nodes), {@code meter} where it stands, its current rate window (counted when still
   * open) and the usage settled but not yet written, which counts as it does for admission.
   */
  static KeyUsage at(ApiKeyState state, long now, ZoneId zone, int inFlight, KeyMeter meter, RateWindow window,
      UsageBatch.Unwritten unwritten) {
    KeyLimits limits = state.currentSettings().limits();
    RateWindow open = window != null && window.open(now) ? window : null;
    return new KeyUsage(state.exists() ? state.toEntry() : null, now, inFlight,
        state.requests() + unwritten.requests(), state.totalTokens() + unwritten.tokens(), open,
        meter.spent().today(now, zone),
        meter.spent().weekOpus(now, zone, limits.weeklyResetDay(), limits.weeklyResetHour()),
        meter.spent().totalMicros(), state.costMicros() + unwritten.costMicros(), meter.reserved().costMicros(),
        ResetCalendar.nextDayStart(now, zone),
        ResetCalendar.nextWeekStart(now, zone, limits.weeklyResetDay(), limits.weeklyResetHour()));
  }
}
