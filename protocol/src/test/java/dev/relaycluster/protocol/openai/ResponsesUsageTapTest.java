package dev.relaycluster.protocol.openai;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.usage.TokenUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponsesUsageTapTest {

    static final String CREATED = "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":"
            + "\"resp_0a1b2c\",\"object\":\"response\",\"created_at\":1764690000,\"status\":\"in_progress\","
            + "\"instructions\":\"You are Codex, based on GPT-5. Ünïcödé — 日本語\",\"model\":\"gpt-5.1-codex\","
            + "\"output\":[],\"usage\":null}}";
    static final String COMPLETED = "{\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":"
            + "\"resp_0a1b2c\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-5.1-codex-2025-11-13\","
            + "\"output\":[{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
            + "\"text\":\"Hello — 世界\"}]}],\"usage\":{\"input_tokens\":12840,\"input_tokens_details\":"
            + "{\"cached_tokens\":11520},\"output_tokens\":412,\"output_tokens_details\":{\"reasoning_tokens\":256},"
            + "\"total_tokens\":13252}}}";
    static final String STREAM = "event: response.created\ndata: " + CREATED + "\n\n"
            + "event: response.in_progress\ndata: {\"type\":\"response.in_progress\",\"sequence_number\":1,"
            + "\"response\":{\"id\":\"resp_0a1b2c\",\"model\":\"gpt-5.1-codex\",\"status\":\"in_progress\"}}\n\n"
            + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":2,"
            + "\"output_index\":0,\"item\":{\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n\n"
            + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":3,"
            + "\"delta\":\"Hello — \"}\n\n"
            + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,"
            + "\"delta\":\"世界\"}\n\n"
            + "event: response.completed\ndata: " + COMPLETED + "\n\n";

    @Test
    void realLookingStreamGivesModelUsageAndEndAtEverySplit() {
        byte[] bytes = utf8(STREAM);
        for (int i = 0; i <= bytes.length; i++) {
            ResponsesUsageTap tap = new ResponsesUsageTap();
            tap.feed(bytes, 0, i);
            tap.feed(bytes, i, bytes.length - i);
            assertEquals("gpt-5.1-codex-2025-11-13", tap.model(), "split at " + i);
            assertEquals(new TokenUsage(1320, 412, 11520, 0, 0), tap.usage(), "split at " + i);
            assertTrue(tap.sawEnd(), "split at " + i);
            assertTrue(tap.atEventBoundary(), "split at " + i);
            assertNull(tap.errorType());
            assertNull(tap.errorJson());
        }
    }

    @Test
    void threeWaySplitsWithCrLfLineEnds() {
        byte[] bytes = utf8(STREAM.replace("\n", "\r\n"));
        for (int i = 0; i < bytes.length; i += 7) {
            int j = Math.min(bytes.length, i + 13);
            ResponsesUsageTap tap = new ResponsesUsageTap();
            tap.feed(ByteBuffer.wrap(bytes, 0, i));
            tap.feed(ByteBuffer.wrap(bytes, i, j - i));
            tap.feed(ByteBuffer.wrap(bytes, j, bytes.length - j));
            assertEquals(new TokenUsage(1320, 412, 11520, 0, 0), tap.usage(), "split at " + i + "/" + j);
            assertTrue(tap.sawEnd());
        }
    }

    @Test
    void cutBeforeCompletedKeepsModelFromCreatedButNoUsage() {
        String head = STREAM.substring(0, STREAM.indexOf("event: response.completed") + 30);
        ResponsesUsageTap tap = new ResponsesUsageTap();
        tap.feed(ByteBuffer.wrap(utf8(head)));
        assertEquals("gpt-5.1-codex", tap.model());
        assertEquals(TokenUsage.ZERO, tap.usage());
        assertFalse(tap.sawEnd());
        assertFalse(tap.atEventBoundary());
    }

    @Test
    void incompleteIsANormalEndWithUsage() {
        ResponsesUsageTap tap = feed("event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":"
                + "{\"model\":\"gpt-5\",\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"},"
                + "\"usage\":{\"input_tokens\":100,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":64}}}\n\n");
        assertTrue(tap.sawEnd());
        assertEquals("gpt-5", tap.model());
        assertEquals(new TokenUsage(100, 64, 0, 0, 0), tap.usage());
        assertNull(tap.errorType());
    }

    @Test
    void codexUsageLimitErrorEventIsReportedRaw() {
        String data = "{\"type\":\"error\",\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"The usage limit has"
                + " been reached\",\"plan_type\":\"plus\",\"resets_at\":1764712800,\"resets_in_seconds\":4521}}";
        ResponsesUsageTap tap = feed("event: error\ndata: " + data + "\n\n");
        assertEquals("usage_limit_reached", tap.errorType());
        assertArrayEquals(utf8(data), tap.errorJson());
        assertFalse(tap.sawEnd());
    }

    @Test
    void responseFailedGivesItsCodeAndUsage() {
        String data = "{\"type\":\"response.failed\",\"sequence_number\":3,\"response\":{\"id\":\"resp_1\",\"model\":"
                + "\"gpt-5.1\",\"status\":\"failed\",\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Rate limit"
                + " reached for gpt-5.1 in organization org-AAA on tokens per min (TPM). Please try again in 11.054s.\"},"
                + "\"usage\":null}}";
        ResponsesUsageTap tap = feed("event: response.failed\ndata: " + data + "\n\n");
        assertEquals("rate_limit_exceeded", tap.errorType());
        assertEquals("gpt-5.1", tap.model());
        assertEquals(TokenUsage.ZERO, tap.usage());
        assertArrayEquals(utf8(data), tap.errorJson());
        assertFalse(tap.sawEnd());
    }

    @Test
    void responseFailedWithoutErrorCodeIsResponseFailed() {
        ResponsesUsageTap tap = feed("event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":"
                + "{\"status\":\"failed\",\"error\":null}}\n\n");
        assertEquals("response_failed", tap.errorType());
    }

    @Test
    void webSocketFramesGiveTheSameResult() {
        ResponsesUsageTap tap = new ResponsesUsageTap();
        tap.onEventJson(utf8(CREATED));
        tap.onEventJson(utf8("{\"type\":\"response.output_text.delta\",\"delta\":\"not json at all {\"}"));
        tap.onEventJson(utf8("{\"type\":\"codex.rate_limits\",\"rate_limits\":{\"primary\":{\"used_percent\":12.0}}}"));
        tap.onEventJson(utf8(COMPLETED));
        assertEquals("gpt-5.1-codex-2025-11-13", tap.model());
        assertEquals(new TokenUsage(1320, 412, 11520, 0, 0), tap.usage());
        assertTrue(tap.sawEnd());
        assertTrue(tap.atEventBoundary());
    }

    @Test
    void webSocketWrappedErrorTakesTheInnerType() {
        String frame = "{\"type\":\"error\",\"status\":429,\"error\":{\"type\":\"usage_limit_reached\",\"message\":"
                + "\"You've hit your usage limit.\",\"resets_in_seconds\":3600},\"headers\":{\"x-codex-primary-used-percent\":"
                + "\"100\"}}";
        ResponsesUsageTap tap = new ResponsesUsageTap();
        tap.onEventJson(utf8(frame));
        assertEquals("usage_limit_reached", tap.errorType());
        assertEquals(frame, new String(tap.errorJson(), StandardCharsets.UTF_8));
    }

    @Test
    void responsesApiFlatErrorEventTakesItsCode() {
        ResponsesUsageTap tap = feed("event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":"
                + "\"The server had an error\",\"param\":null,\"sequence_number\":4}\n\n");
        assertEquals("server_error", tap.errorType());
    }

    @Test
    void eventsWithoutEventLineAreTypedByTheirData() {
        ResponsesUsageTap tap = feed("data: " + COMPLETED + "\n\n");
        assertEquals(new TokenUsage(1320, 412, 11520, 0, 0), tap.usage());
        assertTrue(tap.sawEnd());
    }

    @Test
    void malformedJsonIsIgnored() {
        ResponsesUsageTap tap = feed("event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\n\n"
                + "event: response.completed\ndata: not json\n\n"
                + "event: error\ndata: {]\n\n");
        assertNull(tap.model());
        assertEquals(TokenUsage.ZERO, tap.usage());
        assertFalse(tap.sawEnd());
        assertNull(tap.errorType());
        assertTrue(tap.atEventBoundary());
    }

    private static ResponsesUsageTap feed(String sse) {
        ResponsesUsageTap tap = new ResponsesUsageTap();
        tap.feed(ByteBuffer.wrap(utf8(sse)));
        return tap;
    }
}
