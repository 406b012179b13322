package dev.relaycluster.protocol.anthropic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.testing.TapStreams;
import dev.relaycluster.protocol.usage.TokenUsage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tap's streaming reads report what its tree reads did ({@link TreeAnthropicTap}) on recorded streams whose
 * events were varied: fields reordered, repeated, of the wrong kind, nested objects that repeat the names read,
 * cut or trailing JSON, invalid UTF-8, a byte order mark or zero bytes, numbers too long or too big.
 */
class AnthropicUsageTapAgainstTreeTest {

    private static final List<String> FIXTURES = List.of("fixtures/anthropic-stream.sse",
            "fixtures/anthropic-stream-long-context.sse", "convert/anthropic/decoder/error.sse",
            "convert/anthropic/decoder/server_tool.sse", "convert/anthropic/decoder/thinking.sse",
            "convert/anthropic/decoder/max_tokens.sse", "convert/anthropic/decoder/cut.sse");

    @Test
    void variedStreamsReportWhatTheTreesDid() {
        int withUsage = 0;
        for (TapStreams.Variant v : TapStreams.variants(FIXTURES, 17, 4000)) {
            TapStreams.assertSame(v, TreeAnthropicTap::new, AnthropicUsageTap::new,
                    t -> Arrays.asList(t.stopReason(), t.errorMessage(), t.sawMessageStop()),
                    t -> Arrays.asList(t.stopReason(), t.errorMessage(), t.sawMessageStop()));
            AnthropicUsageTap tap = new AnthropicUsageTap();
            tap.onEventJson(v.data().get(0));
            withUsage += tap.usage().equals(TokenUsage.ZERO) ? 0 : 1;
        }
        // The variants are not all broken: many first events still carry usage.
        assertTrue(withUsage > 1000, "variants with usage: " + withUsage);
    }
}
