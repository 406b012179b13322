package dev.relaycluster.protocol.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedMemoTest {

    @Test
    void aResultIsComputedOnceAndAnsweredFromThenOn() {
        AtomicInteger calls = new AtomicInteger();
        BoundedMemo<String, StringBuilder> memo = new BoundedMemo<>(8, k -> {
            calls.incrementAndGet();
            return new StringBuilder(k);
        });
        StringBuilder first = memo.get("a");
        assertSame(first, memo.get("a"));
        assertEquals(1, calls.get());
        assertEquals(1, memo.size());
    }

    @Test
    void pastItsCapacityItComputesWithoutKeeping() {
        AtomicInteger calls = new AtomicInteger();
        BoundedMemo<Integer, String> memo = new BoundedMemo<>(16, k -> {
            calls.incrementAndGet();
            return "v" + k;
        });
        for (int i = 0; i < 20; i++) {
            assertEquals("v" + i, memo.get(i));
        }
        assertEquals(16, memo.size());
        assertEquals("v19", memo.get(19));
        assertEquals(21, calls.get(), "an argument past the capacity is computed again");
        assertEquals("v3", memo.get(3));
        assertEquals(21, calls.get(), "one within it is not");
    }

    @Test
    void aComputationThatThrowsKeepsNothing() {
        BoundedMemo<String, String> memo = new BoundedMemo<>(8, k -> {
            throw new IllegalArgumentException("bad " + k);
        });
        assertThrows(IllegalArgumentException.class, () -> memo.get("x"));
        assertEquals(0, memo.size());
    }
}
