package dev.relaycluster.protocol.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.usage.TokenUsage;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

    private static final ModelPrice SONNET_4_5 = PriceTable.bundled().find("claude-sonnet-4-5").orElseThrow();

    @Test
    void sonnetExample() {
        // input 1000 x $3/M = 3000 u$, output 500 x $15/M = 7500 u$, write 3000 x 3.75 + 2000 x 6 = 23250 u$,
        // read 20000 x 0.3 = 6000 u$.
        assertEquals(new Cost(3000, 7500, 23250, 6000, 39750),
                CostCalculator.cost(SONNET_4_5, new TokenUsage(1000, 500, 20000, 3000, 2000)));
    }

    @Test
    void partsRoundHalfUp() {
        assertEquals(new Cost(0, 0, 0, 0, 0), CostCalculator.cost(SONNET_4_5, new TokenUsage(0, 0, 1, 0, 0)));
        assertEquals(new Cost(0, 0, 0, 2, 2), CostCalculator.cost(SONNET_4_5, new TokenUsage(0, 0, 5, 0, 0)));
    }

    @Test
    void totalRoundsTheExactSum() {
        // read 2 x 0.3 = 0.6 -> 1, write 1 x 3.75 -> 4, but the total 4.35 -> 4 (not 5).
        assertEquals(new Cost(0, 0, 4, 1, 4), CostCalculator.cost(SONNET_4_5, new TokenUsage(0, 0, 2, 1, 0)));
        // input 1 x 3 = 3, output 1 x 15 = 15, read 2 x 0.3 = 0.6 -> 1, 1h write 1 x 6 = 6: total 24.6 -> 25.
        assertEquals(new Cost(3, 15, 6, 1, 25), CostCalculator.cost(SONNET_4_5, new TokenUsage(1, 1, 2, 0, 1)));
    }

    @Test
    void overflowThrows() {
        assertThrows(ArithmeticException.class,
                () -> CostCalculator.cost(SONNET_4_5, new TokenUsage(Long.MAX_VALUE / 2, 0, 0, 0, 0)));
    }
}
