package dev.relaycluster.protocol.anthropic;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.testing.Fixtures;
import dev.relaycluster.protocol.usage.TokenUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicUsageTapTest {

    private static final byte[] STREAM = Fixtures.anthropicStream();

    @Test
    void fixtureGivesModelUsageAndStopAtEverySplit() {
        for (int i = 0; i <= STREAM.length; i++) {
            AnthropicUsageTap tap = new AnthropicUsageTap();
            tap.feed(STREAM, 0, i);
            tap.feed(STREAM, i, STREAM.length - i);
            assertEquals("claude-sonnet-4-5-20250929", tap.model(), "split at " + i);
            assertEquals(new TokenUsage(1200, 57, 20000, 1000, 2000), tap.usage(), "split at " + i);
            assertTrue(tap.sawMessageStop(), "split at " + i);
            assertEquals("end_turn", tap.stopReason());
            assertTrue(tap.atEventBoundary());
            assertNull(tap.errorType());
            assertNull(tap.errorMessage());
        }
    }

    @Test
    void byteBufferFeedGivesTheSameResult() {
        AnthropicUsageTap tap = new AnthropicUsageTap();
        ByteBuffer chunk = ByteBuffer.wrap(STREAM);
        tap.feed(chunk);
        assertEquals(0, chunk.position());
        assertEquals(new TokenUsage(1200, 57, 20000, 1000, 2000), tap.usage());
    }

    @Test
    void streamCutBeforeMessageDeltaKeepsStartOutput() {
        int cut = new String(STREAM, StandardCharsets.UTF_8).indexOf("event: message_delta");
        int cutBytes = new String(STREAM, StandardCharsets.UTF_8).substring(0, cut).getBytes(StandardCharsets.UTF_8).length;
        AnthropicUsageTap tap = new AnthropicUsageTap();
        tap.feed(STREAM, 0, cutBytes + 10);
        assertEquals(new TokenUsage(1200, 1, 20000, 1000, 2000), tap.usage());
        assertFalse(tap.sawMessageStop());
        assertNull(tap.stopReason());
        assertFalse(tap.atEventBoundary());
    }

    @Test
    void withoutBreakdownAllCacheCreationIsFiveMinute() {
        AnthropicUsageTap tap = feed("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-opus-4-5\","
                + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":7,"
                + "\"output_tokens\":2}}}\n\n");
        assertEquals(new TokenUsage(10, 2, 7, 3000, 0), tap.usage());
        assertEquals("claude-opus-4-5", tap.model());
    }

    @Test
    void errorEventIsReported() {
        AnthropicUsageTap tap = feed("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}\n\n");
        assertEquals("overloaded_error", tap.errorType());
        assertEquals("Overloaded", tap.errorMessage());
        assertEquals(TokenUsage.ZERO, tap.usage());
        assertNull(tap.model());
    }

    @Test
    void malformedJsonIsIgnored() {
        AnthropicUsageTap tap = feed("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"x\"\n\n"
                + "event: message_delta\ndata: not json\n\n"
                + "event: error\ndata: {]\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":9}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertNull(tap.model());
        assertEquals(new TokenUsage(0, 9, 0, 0, 0), tap.usage());
        assertNull(tap.errorType());
        assertTrue(tap.sawMessageStop());
    }

    @Test
    void cumulativeDeltaFieldsTakeTheLargerValue() {
        AnthropicUsageTap tap = feed("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"m\","
                + "\"usage\":{\"input_tokens\":1200,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":20000,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":1}}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                + "\"usage\":{\"input_tokens\":1500,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":20000,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1400,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":30}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":44}}\n\n");
        assertEquals(new TokenUsage(1500, 44, 20000, 1400, 2000), tap.usage());
        assertEquals("tool_use", tap.stopReason());
    }

    @Test
    void eventTypeIsTakenFromDataWhenTheEventFieldIsAbsent() {
        AnthropicUsageTap tap = feed("data: {\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":5,"
                + "\"output_tokens\":1}}}\n\n"
                + "data: {\"index\":0,\"delta\":{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":999}},\"type\":\"content_block_delta\"}\n\n"
                + "data: {\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":3}}\n\n"
                + "data: {\"type\":\"message_stop\"}\n\n");
        assertEquals(new TokenUsage(5, 3, 0, 0, 0), tap.usage());
        assertTrue(tap.sawMessageStop());
    }

    @Test
    void onEventAcceptsAlreadyDecodedEvents() {
        AnthropicUsageTap tap = new AnthropicUsageTap();
        tap.onEvent(new SseEvent("message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":12}}", null));
        tap.onEvent(new SseEvent("message_stop", "", null));
        tap.onEvent(new SseEvent(null, "", null));
        assertEquals(new TokenUsage(0, 12, 0, 0, 0), tap.usage());
        assertTrue(tap.sawMessageStop());
    }

    private static AnthropicUsageTap feed(String stream) {
        byte[] b = utf8(stream);
        AnthropicUsageTap tap = new AnthropicUsageTap();
        tap.feed(b, 0, b.length);
        return tap;
    }
}
