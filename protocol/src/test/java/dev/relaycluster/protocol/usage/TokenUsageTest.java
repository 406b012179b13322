package dev.relaycluster.protocol.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenUsageTest {

    @Test
    void plusAddsFieldByField() {
        assertEquals(new TokenUsage(11, 22, 33, 44, 55),
                new TokenUsage(1, 2, 3, 4, 5).plus(new TokenUsage(10, 20, 30, 40, 50)));
        assertEquals(new TokenUsage(1, 2, 3, 4, 5), TokenUsage.ZERO.plus(new TokenUsage(1, 2, 3, 4, 5)));
        assertThrows(ArithmeticException.class, () -> new TokenUsage(Long.MAX_VALUE, 0, 0, 0, 0).plus(new TokenUsage(1, 0, 0, 0, 0)));
    }

    @Test
    void totals() {
        TokenUsage u = new TokenUsage(1200, 57, 20000, 1000, 2000);
        assertEquals(3000, u.cacheWriteTokens());
        assertEquals(24257, u.totalTokens());
        assertEquals(0, TokenUsage.ZERO.totalTokens());
    }
}
