package dev.relaycluster.portal;

import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyExpiry;
import dev.relaycluster.apikey.KeyLimits;
import dev.relaycluster.apikey.KeyUsage;
import dev.relaycluster.apikey.RateWindow;
import dev.relaycluster.apikey.RateWindowLimit;
import java.util.ArrayList;
import java.util.List;

/**
 * Every limit a key has, with what is used, what remains and when it resets, from the key entity's view of
 * its usage. A limit the key does not have (0, no window, no expiry) is not listed.
 */
public final class LimitLines {
  private LimitLines() {}

  public static List<LimitLine> of(KeyUsage u) {
    KeyEntry key = u.key();
    KeyLimits l = key.settings().limits();
    long now = u.now();
    List<LimitLine> out = new ArrayList<>();
    if (l.concurrency() > 0) {
      out.add(LimitLine.amount("concurrency", "requests", l.concurrency(), u.inFlight(), 0, null));
    }
    RateWindowLimit wl = l.rateWindow();
    if (wl != null) {
      RateWindow w = u.window() != null && u.window().open(now) ? u.window() : null;
      long resets = w == null ? 0 : w.end();
      String note = w == null ? "window-not-open" : null;
      if (wl.maxRequests() > 0) {
        out.add(LimitLine.amount("windowRequests", "requests", wl.maxRequests(), w == null ? 0 : w.requests(),
            resets, note).inWindow(wl.minutes()));
      }
      if (wl.maxTokens() > 0) {
        out.add(LimitLine.amount("windowTokens", "tokens", wl.maxTokens(), w == null ? 0 : w.tokens(), resets, note)
            .inWindow(wl.minutes()));
      }
      if (wl.maxCostMicros() > 0) {
        out.add(LimitLine.amount("windowCost", "micros", wl.maxCostMicros(), w == null ? 0 : w.costMicros(), resets,
            note).inWindow(wl.minutes()));
      }
    }
    if (l.dailyCostMicros() > 0) {
      out.add(LimitLine.amount("dailyCost", "micros", l.dailyCostMicros(), u.todayMicros(), u.dayResetAt(), null));
    }
    if (l.weeklyOpusCostMicros() > 0) {
      out.add(LimitLine.amount("weeklyOpusCost", "micros", l.weeklyOpusCostMicros(), u.weekOpusMicros(),
          u.weekResetAt(), null));
    }
    if (l.totalCostMicros() > 0) {
      out.add(LimitLine.amount("totalCost", "micros", l.totalCostMicros(), u.totalRatedMicros(), 0, "never-resets"));
    }
    KeyExpiry expiry = key.settings().expiry();
    if (expiry.activatesOnFirstUse(key.activatedAt())) {
      out.add(new LimitLine("expiry", "time", expiry.activationMillis(), 0, 0, 0, 0, 0, "activation-pending"));
    } else if (key.expiresAt() > 0) {
      boolean expired = expiry.expired(key.activatedAt(), now);
      out.add(new LimitLine("expiry", "time", 0, 0, 0, 0, 0, key.expiresAt(), expired ? "expired" : null));
    }
    return List.copyOf(out);
  }
}
