package dev.relaycluster.protocol.openai;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations OpenAI writes in the Go style: {@code x-ratelimit-reset-tokens: 6m0s}, {@code 1s},
 * {@code 20ms}, {@code 1h2m3.5s}, and the same inside error messages ("Please try again in 7m12s.",
 * "try again in 11.054s", "Try again in 35 seconds."). Pure.
 */
public final class OpenAiDuration {

    private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern TRY_AGAIN = Pattern.compile(
            "(?i)try again in\\s*((?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|h|m|s)(?![a-z]))+"
                    + "|(\\d+(?:\\.\\d+)?)\\s*(milliseconds?|seconds?|secs?|minutes?|mins?|hours?))");

    private OpenAiDuration() {
    }

    /**
     * Milliseconds of a Go-style duration ({@code 6m0s}, {@code 20ms}, {@code 1.5s}); a bare number counts
     * as seconds. Fractions of a millisecond round up. Returns -1 when {@code value} is null, blank or not
     * a duration.
     */
    public static long millis(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String s = value.strip();
        try {
            if (s.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                return Math.round(Math.ceil(Double.parseDouble(s) * 1000));
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        Matcher m = GO_PART.matcher(s);
        double total = 0;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return -1;
            }
            total += Double.parseDouble(m.group(1)) * unitMillis(m.group(2));
            at = m.end();
        }
        return Math.round(Math.ceil(total - 1e-9));
    }

    /** Milliseconds of the first "try again in …" in {@code message}, or -1 when there is none. */
    public static long tryAgainInMillis(String message) {
        if (message == null) {
            return -1;
        }
        Matcher m = TRY_AGAIN.matcher(message);
        if (!m.find()) {
            return -1;
        }
        if (m.group(2) == null) {
            return millis(m.group(1));
        }
        double n = Double.parseDouble(m.group(2));
        String unit = m.group(3).toLowerCase(Locale.ROOT);
        double factor = unit.startsWith("milli") ? 1 : unit.startsWith("s") ? 1000 : unit.startsWith("m") ? 60_000
                : 3_600_000;
        return Math.round(Math.ceil(n * factor - 1e-9));
    }

    /**
     * Whole seconds the answer asks to wait: {@code retry-after-ms} (rounded up), else {@code retry-after}
     * as seconds or as an HTTP date (measured from {@code nowMillis}); -1 when neither is usable.
     * Header names must be lower-case.
     */
    public static long retryAfterSeconds(Map<String, String> headers, long nowMillis) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                double v = Double.parseDouble(ms.strip());
                if (v >= 0) {
                    return (long) Math.ceil(v / 1000);
                }
            } catch (NumberFormatException e) {
                // fall through to retry-after
            }
        }
        String value = headers.get("retry-after");
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            double v = Double.parseDouble(value.strip());
            return v < 0 ? -1 : (long) Math.ceil(v);
        } catch (NumberFormatException e) {
            try {
                long at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                        .toEpochMilli();
                return Math.max(0, (at - nowMillis + 999) / 1000);
            } catch (DateTimeParseException e2) {
                return -1;
            }
        }
    }

    private static double unitMillis(String unit) {
        return switch (unit) {
            case "ns" -> 1e-6;
            case "us", "µs" -> 1e-3;
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
    }
}
