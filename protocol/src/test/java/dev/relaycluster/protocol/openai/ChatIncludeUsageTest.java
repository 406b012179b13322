package dev.relaycluster.protocol.openai;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.dialect.StreamReframer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatIncludeUsageTest {

    private static String asked(String body) {
        return new String(ChatIncludeUsage.ask(utf8(body)), StandardCharsets.UTF_8);
    }

    @Test
    void asksOnlyForStreamsThatDidNotAsk() {
        assertTrue(ChatIncludeUsage.mustAsk(utf8("{\"model\":\"m\",\"stream\":true,\"messages\":[]}")));
        assertTrue(ChatIncludeUsage.mustAsk(utf8("{\"stream\":true,\"stream_options\":{\"include_usage\":false}}")));
        assertFalse(ChatIncludeUsage.mustAsk(utf8("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}")));
        assertFalse(ChatIncludeUsage.mustAsk(utf8("{\"model\":\"m\",\"messages\":[]}")));
        assertFalse(ChatIncludeUsage.mustAsk(utf8("not json")));
    }

    @Test
    void theFlagIsAddedKeepingTheClientsBytes() {
        assertEquals("{\"stream_options\":{\"include_usage\":true},\"model\":\"m\", \"temperature\":0.10000000000000001,"
                + "\"stream\":true}", asked("{\"model\":\"m\", \"temperature\":0.10000000000000001,\"stream\":true}"));
        assertEquals(" \n{\"stream_options\":{\"include_usage\":true}, \"stream\":true}", asked(" \n{ \"stream\":true}"));
        assertEquals("{\"stream_options\":{\"include_usage\":true} }", asked("{ }"));
        assertEquals("{\"stream\":true,\"stream_options\":{\"include_usage\":true,\"extra\":1}}",
                asked("{\"stream\":true,\"stream_options\":{\"include_usage\":false,\"extra\":1}}"));
        assertEquals("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                asked("{\"stream\":true,\"stream_options\":null}"));
        assertEquals("[1]", asked("[1]"));
    }

    @Test
    void theUsageChunkIsDroppedAndEverythingElsePassesByteForByteAtEverySplit() {
        String stream = ChatUsageTapTest.STREAM;
        int usageStart = stream.indexOf("data: " + ChatUsageTapTest.HEAD + "\"choices\":[],");
        int usageEnd = stream.indexOf("data: [DONE]");
        String expected = stream.substring(0, usageStart) + stream.substring(usageEnd);
        for (String lineEnd : new String[] {"\n", "\r\n", "\r"}) {
            byte[] bytes = utf8(stream.replace("\n", lineEnd));
            String want = expected.replace("\n", lineEnd);
            for (int i = 0; i <= bytes.length; i++) {
                assertEquals(want, run(bytes, i, Math.min(bytes.length, i + 17)), "split at " + i + " " + lineEnd.length());
            }
        }
    }

    @Test
    void anUnfinishedEventIsSentAtTheEndAndAWholeAnswerIsUntouched() {
        String cut = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: {\"choi";
        assertEquals(cut, run(utf8(cut), 10, 50));
        byte[] whole = utf8("{\"object\":\"chat.completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":1}}");
        assertSame(whole, ChatIncludeUsage.framing().whole(whole));
        assertFalse(ChatIncludeUsage.framing().identity());
    }

    @Test
    void azuresFilterResultsPassAndOnlyItsUsageChunkIsHidden() {
        byte[] bytes = dev.relaycluster.protocol.testing.Fixtures.bytes("convert/chat/azure-filter-results.sse");
        String stream = new String(bytes, StandardCharsets.UTF_8);
        String usageEvent = stream.substring(stream.indexOf("data: {\"choices\":[],\"created\":1764690000"),
                stream.indexOf("data: [DONE]"));
        String expected = stream.replace(usageEvent, "");
        assertTrue(expected.startsWith("data: {\"choices\":[],\"created\":0,\"id\":\"\""), "kept: " + expected);
        for (int i = 0; i < bytes.length; i += 7) {
            int j = Math.min(bytes.length, i + 31);
            assertEquals(expected, run(bytes, i, j), "split at " + i + ", " + j);
        }
        ChatUsageTap tap = new ChatUsageTap();
        tap.feed(ByteBuffer.wrap(bytes));
        assertEquals("gpt-5-mini-2025-08-07", tap.model(), "the first chunk names no model");
        assertEquals(new dev.relaycluster.protocol.usage.TokenUsage(20, 9, 0, 0, 0), tap.usage());
        assertTrue(tap.sawEnd());
        assertNull(tap.errorType());
    }

    private static String run(byte[] bytes, int i, int j) {
        StreamReframer r = ChatIncludeUsage.framing().newStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(r.feed(ByteBuffer.wrap(bytes, 0, i)));
        out.writeBytes(r.feed(ByteBuffer.wrap(bytes, i, j - i)));
        out.writeBytes(r.feed(ByteBuffer.wrap(bytes, j, bytes.length - j)));
        out.writeBytes(r.end());
        return out.toString(StandardCharsets.UTF_8);
    }
}
