package dev.relaycluster.protocol.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiDurationTest {

    @Test
    void goDurations() {
        assertEquals(360_000, OpenAiDuration.millis("6m0s"));
        assertEquals(1_000, OpenAiDuration.millis("1s"));
        assertEquals(20, OpenAiDuration.millis("20ms"));
        assertEquals(3_723_500, OpenAiDuration.millis("1h2m3.5s"));
        assertEquals(8_640, OpenAiDuration.millis("8.64s"));
        assertEquals(1, OpenAiDuration.millis("300us"));
        assertEquals(2_000, OpenAiDuration.millis("2"));
        assertEquals(-1, OpenAiDuration.millis("soon"));
        assertEquals(-1, OpenAiDuration.millis("6m0"));
        assertEquals(-1, OpenAiDuration.millis(""));
        assertEquals(-1, OpenAiDuration.millis(null));
    }

    @Test
    void tryAgainHints() {
        assertEquals(11_054, OpenAiDuration.tryAgainInMillis("Please try again in 11.054s. Visit https://x"));
        assertEquals(28, OpenAiDuration.tryAgainInMillis("Please try again in 28ms."));
        assertEquals(432_000, OpenAiDuration.tryAgainInMillis("Please try again in 7m12s."));
        assertEquals(35_000, OpenAiDuration.tryAgainInMillis("Rate limit exceeded. Try again in 35 seconds."));
        assertEquals(-1, OpenAiDuration.tryAgainInMillis("Rate limit reached for requests"));
        assertEquals(-1, OpenAiDuration.tryAgainInMillis(null));
    }

    @Test
    void retryAfterHeaders() {
        long now = 1_764_690_000_000L; // 2025-12-02T15:40:00Z
        assertEquals(17, OpenAiDuration.retryAfterSeconds(Map.of("retry-after", "17"), now));
        assertEquals(2, OpenAiDuration.retryAfterSeconds(Map.of("retry-after-ms", "1200", "retry-after", "9"), now));
        assertEquals(120, OpenAiDuration.retryAfterSeconds(Map.of("retry-after", "Tue, 02 Dec 2025 15:42:00 GMT"), now));
        assertEquals(-1, OpenAiDuration.retryAfterSeconds(Map.of("retry-after", "later"), now));
        assertEquals(-1, OpenAiDuration.retryAfterSeconds(Map.of(), now));
    }
}
