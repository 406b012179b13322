package dev.relaycluster.protocol.dialect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.protocol.testing.Fixtures;
import dev.relaycluster.protocol.testing.TapStreams;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dialect says a chunk cannot hold an in-stream error only when a new tap fed that chunk reports none; and it
 * says so of the usual first chunks.
 */
class StreamErrorMarksTest {

    private static final Map<Dialect, List<String>> STREAMS = Map.of(
            AnthropicDialect.INSTANCE, List.of("fixtures/anthropic-stream.sse", "convert/anthropic/decoder/error.sse",
                    "convert/anthropic/decoder/thinking.sse"),
            ResponsesDialect.INSTANCE, List.of("fixtures/openai-responses-stream.sse", "convert/responses/failed.sse",
                    "convert/responses/error-event.sse", "convert/responses/error-null-then-error.sse"),
            ChatDialect.INSTANCE, List.of("convert/chat/openai-error-midstream.sse",
                    "convert/chat/compat-reasoning-crlf.sse", "convert/chat/openai-text-two-tools.sse"),
            GeminiDialect.INSTANCE, List.of("fixtures/gemini-stream.sse", "convert/gemini/error-first.sse",
                    "convert/gemini/error.sse"));

    @Test
    void noChunkSaidToHoldNoErrorMakesATapReportOne() {
        for (Map.Entry<Dialect, List<String>> e : STREAMS.entrySet()) {
            Dialect dialect = e.getKey();
            int skipped = 0;
            int errors = 0;
            for (TapStreams.Variant v : TapStreams.variants(e.getValue(), 41, 600)) {
                byte[] stream = v.stream();
                // Every prefix that ends an event, as a first chunk would, and a few that end inside one.
                for (int end = 1; end <= stream.length; end++) {
                    if (stream[end - 1] != '\n' && end % 97 != 0) {
                        continue;
                    }
                    UsageTap tap = dialect.newTap();
                    tap.feed(ByteBuffer.wrap(stream, 0, end));
                    boolean reported = tap.errorType() != null;
                    errors += reported ? 1 : 0;
                    if (!dialect.mayHoldStreamError(stream, 0, end)) {
                        skipped++;
                        if (reported) {
                            throw new AssertionError(dialect.id() + " reported an error in a chunk said to hold none: "
                                    + new String(stream, 0, end, StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            assertTrue(skipped > 100, dialect.id() + ": chunks said to hold no error: " + skipped);
            assertTrue(errors > 100, dialect.id() + ": chunks with an error: " + errors);
        }
    }

    @Test
    void theUsualFirstChunksHoldNoErrorAndErrorsDo() {
        assertFalse(first(AnthropicDialect.INSTANCE, "fixtures/anthropic-stream.sse"));
        assertFalse(first(ChatDialect.INSTANCE, "convert/chat/openai-text-two-tools.sse"));
        assertFalse(first(GeminiDialect.INSTANCE, "fixtures/gemini-stream.sse"));
        assertFalse(first(ResponsesDialect.INSTANCE, "fixtures/openai-responses-stream.sse"));
        // A response object's "error": null is a key, not an error event's type.
        assertFalse(first(ResponsesDialect.INSTANCE, "convert/responses/error-null-then-error.sse"));
        byte[] errorNull = Fixtures.bytes("convert/responses/error-null-then-error.sse");
        int twoEvents = new String(errorNull, StandardCharsets.UTF_8).indexOf("event: error");
        assertFalse(ResponsesDialect.INSTANCE.mayHoldStreamError(errorNull, 0, twoEvents));
        assertTrue(ResponsesDialect.INSTANCE.mayHoldStreamError(errorNull, 0, errorNull.length));
        byte[] typed = "data: {\"type\":\"error\" ,\"error\":{}}\n\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(ResponsesDialect.INSTANCE.mayHoldStreamError(typed, 0, typed.length));
        byte[] splitKey = "data: {\"error\"\ndata: :null}\n\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(ResponsesDialect.INSTANCE.mayHoldStreamError(splitKey, 0, splitKey.length));
        byte[] anthropicError = Fixtures.bytes("convert/anthropic/decoder/error.sse");
        assertTrue(AnthropicDialect.INSTANCE.mayHoldStreamError(anthropicError, 0, anthropicError.length));
        assertTrue(first(GeminiDialect.INSTANCE, "convert/gemini/error-first.sse"));
        byte[] escaped = "data: {\"\\u0065rror\":{\"message\":\"x\"}}\n\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(ChatDialect.INSTANCE.mayHoldStreamError(escaped, 0, escaped.length));
        byte[] wide = {'d', 'a', 't', 'a', ':', ' ', 0, '{', 0, '}', '\n', '\n'};
        assertTrue(ChatDialect.INSTANCE.mayHoldStreamError(wide, 0, wide.length));
        byte[] framed = "xx error xx".getBytes(StandardCharsets.US_ASCII);
        assertFalse(AnthropicDialect.INSTANCE.mayHoldStreamError(framed, 0, 2));
        assertTrue(AnthropicDialect.INSTANCE.mayHoldStreamError(framed, 3, 5));
    }

    /** Whether the dialect may find an error in the first event of the fixture. */
    private static boolean first(Dialect dialect, String fixture) {
        byte[] stream = Fixtures.bytes(fixture);
        String text = new String(stream, StandardCharsets.UTF_8);
        int end = text.replace("\r\n", "\n").indexOf("\n\n") + 2;
        return dialect.mayHoldStreamError(stream, 0, end);
    }
}
