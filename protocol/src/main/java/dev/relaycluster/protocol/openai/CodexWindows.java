package dev.relaycluster.protocol.openai;

import java.util.Map;

/**
 * The two ChatGPT (Codex) usage windows an answer reports in its {@code x-codex-primary-*} and
 * {@code x-codex-secondary-*} headers, for cooldowns and the admin view. Percentages are 0..100 as sent,
 * window lengths are minutes, reset times are epoch millis ({@code …-reset-at} unix seconds, else now +
 * {@code …-reset-after-seconds}); absent values are -1. Which window is the 5-hour and which the weekly
 * one is decided by its length, not its slot: some plans put the weekly window in the primary slot.
 */
public record CodexWindows(double primaryUsedPercent, long primaryWindowMinutes, long primaryResetAtMillis,
        double secondaryUsedPercent, long secondaryWindowMinutes, long secondaryResetAtMillis) {

    /** Windows of at most this many minutes (24 h) count as the short ("5-hour") window. */
    public static final long SHORT_WINDOW_MAX_MINUTES = 24 * 60;
    static final String PRIMARY = "x-codex-primary-";
    static final String SECONDARY = "x-codex-secondary-";

    /** Reads the headers (names lower-case); every field -1 when none was sent. */
    public static CodexWindows from(Map<String, String> headers, long nowMillis) {
        return new CodexWindows(
                decimal(headers.get(PRIMARY + "used-percent")),
                whole(headers.get(PRIMARY + "window-minutes")),
                resetAt(headers, PRIMARY, nowMillis),
                decimal(headers.get(SECONDARY + "used-percent")),
                whole(headers.get(SECONDARY + "window-minutes")),
                resetAt(headers, SECONDARY, nowMillis));
    }

    /** Whether any window was reported. */
    public boolean present() {
        return primaryUsedPercent >= 0 || secondaryUsedPercent >= 0;
    }

    /**
     * Use of the short window as a fraction 0..1, -1 when not reported. A window without a length counts
     * as short in the primary slot and long in the secondary slot; two short windows give the fuller one.
     */
    public double shortWindowFraction() {
        return Math.max(primaryIsShort() ? fraction(primaryUsedPercent) : -1,
                secondaryIsShort() ? fraction(secondaryUsedPercent) : -1);
    }

    /** Use of the long (weekly) window as a fraction 0..1, -1 when not reported. */
    public double longWindowFraction() {
        return Math.max(primaryIsShort() ? -1 : fraction(primaryUsedPercent),
                secondaryIsShort() ? -1 : fraction(secondaryUsedPercent));
    }

    /** The latest reset among windows used up (100 % or more), or 0 when none is. */
    public long exhaustedResetAtMillis() {
        long latest = 0;
        if (primaryUsedPercent >= 100) {
            latest = Math.max(latest, primaryResetAtMillis);
        }
        if (secondaryUsedPercent >= 100) {
            latest = Math.max(latest, secondaryResetAtMillis);
        }
        return latest;
    }

    private boolean primaryIsShort() {
        return primaryWindowMinutes < 0 || primaryWindowMinutes <= SHORT_WINDOW_MAX_MINUTES;
    }

    private boolean secondaryIsShort() {
        return secondaryWindowMinutes >= 0 && secondaryWindowMinutes <= SHORT_WINDOW_MAX_MINUTES;
    }

    private static double fraction(double percent) {
        return percent < 0 ? -1 : Math.min(1.0, percent / 100.0);
    }

    private static long resetAt(Map<String, String> headers, String prefix, long nowMillis) {
        long at = whole(headers.get(prefix + "reset-at"));
        if (at > 0) {
            return at * 1000;
        }
        long after = whole(headers.get(prefix + "reset-after-seconds"));
        return after >= 0 ? nowMillis + after * 1000 : -1;
    }

    private static double decimal(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            double d = Double.parseDouble(value.strip());
            return d < 0 || !Double.isFinite(d) ? -1 : d;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long whole(String value) {
        double d = decimal(value);
        return d < 0 ? -1 : (long) d;
    }
}
