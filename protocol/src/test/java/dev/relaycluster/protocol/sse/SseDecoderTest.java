package dev.relaycluster.protocol.sse;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

    private static final byte[] STREAM = Fixtures.anthropicStream();

    private static final List<SseEvent> EXPECTED = List.of(
            new SseEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
                    + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1200,"
                    + "\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":20000,\"cache_creation\":"
                    + "{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":1,"
                    + "\"service_tier\":\"standard\"}}}", null),
            new SseEvent("ping", "{\"type\": \"ping\"}", null),
            new SseEvent("content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}", null),
            new SseEvent("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"h\u00e9llo\"}}", null),
            new SseEvent("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" \u2014 \u4e16\u754c\"}}",
                    null),
            new SseEvent("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" \uD83C\uDF0D\"}}", null),
            new SseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}", null),
            new SseEvent("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":57}}", null),
            new SseEvent("message_stop", "{\"type\":\"message_stop\"}", null));

    @Test
    void decodesTheWholeFixtureInOneChunk() {
        assertEquals(EXPECTED, decode(STREAM));
    }

    @Test
    void everyTwoWaySplitGivesTheSameEvents() {
        assertEveryTwoWaySplit(STREAM);
    }

    @Test
    void eventsWhoseDataIsRefusedComeOutWithEmptyDataAndTheRestUnchanged() {
        java.util.function.Predicate<String> usageOnly = t -> t.equals("message_start") || t.equals("message_delta");
        List<SseEvent> expected = EXPECTED.stream()
                .map(e -> usageOnly.test(e.event()) ? e : new SseEvent(e.event(), "", e.id()))
                .toList();
        assertEquals(expected, byteByByte(STREAM, new SseDecoder(usageOnly)));
        assertEquals(expected, new SseDecoder(usageOnly).feed(STREAM, 0, STREAM.length));
        // Data lines before the event line are dropped too; an event without an event field keeps its data.
        SseDecoder decoder = new SseDecoder(usageOnly);
        assertEquals(List.of(new SseEvent("ping", "", null), new SseEvent(null, "kept", null),
                        new SseEvent("message_delta", "a\nb", null)),
                feed(decoder, "data: early\nevent: ping\ndata: late\n\ndata: kept\n\nevent: message_delta\ndata: a\ndata: b\n\n"));
    }

    @Test
    void aHandlerGetsTheEventsTheListGivesAsTheBytesThatCame() {
        java.util.function.Predicate<String> usageOnly = t -> t.equals("message_start") || t.equals("error");
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        List<byte[]> streams = new ArrayList<>(List.of(STREAM, withLineEnds(STREAM, "\r\n"), withLineEnds(STREAM, "\r"),
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("data: a\ndata:\n\nevent: e\n\n")),
                concat(utf8("event: error\ndata: \u00e9"), new byte[] {(byte) 0xFF, (byte) 0xC0, '\n', '\n'})));
        for (var v : dev.relaycluster.protocol.testing.TapStreams.variants(List.of("fixtures/anthropic-stream.sse",
                "fixtures/gemini-stream.sse"), 9, 200)) {
            streams.add(v.stream());
        }
        for (byte[] stream : streams) {
            for (boolean refusing : new boolean[] {false, true}) {
                SseDecoder listed = refusing ? new SseDecoder(usageOnly) : new SseDecoder();
                List<SseEvent> expected = new ArrayList<>(listed.feed(stream, 0, stream.length));
                SseDecoder handled = refusing ? new SseDecoder(usageOnly) : new SseDecoder();
                List<SseEvent> got = new ArrayList<>();
                SseDecoder.DataHandler handler = (event, data, off, len) ->
                        got.add(new SseEvent(event, new String(data, off, len, StandardCharsets.UTF_8), null));
                for (int i = 0; i < stream.length; ) {
                    int n = Math.min(stream.length - i, 1 + random.nextInt(40));
                    if (random.nextBoolean()) {
                        handled.feed(stream, i, n, handler);
                    } else {
                        ByteBuffer direct = ByteBuffer.allocateDirect(n).put(stream, i, n).flip();
                        handled.feed(direct, handler);
                        assertEquals(0, direct.position());
                    }
                    i += n;
                }
                List<SseEvent> withoutIds =
                        expected.stream().map(e -> new SseEvent(e.event(), e.data(), null)).toList();
                assertEquals(withoutIds, got);
                assertEquals(listed.atEventBoundary(), handled.atEventBoundary());
            }
        }
    }

    @Test
    void byteByByteGivesTheSameEvents() {
        assertEquals(EXPECTED, byteByByte(STREAM, new SseDecoder()));
    }

    @Test
    void crlfLineEndsGiveTheSameEvents() {
        byte[] crlf = withLineEnds(STREAM, "\r\n");
        assertEquals(EXPECTED, decode(crlf));
        assertEveryTwoWaySplit(crlf);
        assertEquals(EXPECTED, byteByByte(crlf, new SseDecoder()));
    }

    @Test
    void crLineEndsGiveTheSameEvents() {
        byte[] cr = withLineEnds(STREAM, "\r");
        assertEquals(EXPECTED, decode(cr));
        assertEveryTwoWaySplit(cr);
        assertEquals(EXPECTED, byteByByte(cr, new SseDecoder()));
    }

    @Test
    void atEventBoundaryExactlyAfterEachBlankLine() {
        SseDecoder decoder = new SseDecoder();
        List<Integer> boundaries = new ArrayList<>();
        for (int i = 0; i <= STREAM.length; i++) {
            if (decoder.atEventBoundary()) {
                boundaries.add(i);
            }
            if (i < STREAM.length) {
                decoder.feed(STREAM, i, 1);
            }
        }
        List<Integer> expected = new ArrayList<>(List.of(0));
        for (int i = 1; i < STREAM.length; i++) {
            if (STREAM[i - 1] == '\n' && STREAM[i] == '\n') {
                expected.add(i + 1);
            }
        }
        assertEquals(10, expected.size());
        assertEquals(STREAM.length, expected.get(9));
        assertEquals(expected, boundaries);
    }

    @Test
    void atEventBoundaryAfterCrlfEventEnd() {
        SseDecoder decoder = new SseDecoder();
        feed(decoder, "data: x\r\n");
        assertFalse(decoder.atEventBoundary());
        feed(decoder, "\r\n");
        assertTrue(decoder.atEventBoundary());
        feed(decoder, "id: 1");
        assertFalse(decoder.atEventBoundary());
    }

    @Test
    void commentsAreIgnoredAndLeaveABoundary() {
        SseDecoder decoder = new SseDecoder();
        assertEquals(List.of(), feed(decoder, ": keep-alive\n"));
        assertTrue(decoder.atEventBoundary());
        assertEquals(List.of(new SseEvent("ping", "{}", null)), feed(decoder, ":\nevent: ping\n: inside\ndata: {}\n\n"));
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() {
        assertEquals(List.of(new SseEvent(null, "a\n\n b\nc", null)), decode(utf8("data: a\ndata:\ndata:  b\ndata: c\n\n")));
    }

    @Test
    void onlyOneSpaceAfterTheColonIsStripped() {
        assertEquals(List.of(new SseEvent("e", "x", null), new SseEvent(" e", " y", null)),
                decode(utf8("event:e\ndata:x\n\nevent:  e\ndata:  y\n\n")));
    }

    @Test
    void fieldWithoutColonHasAnEmptyValue() {
        assertEquals(List.of(new SseEvent(null, "", null), new SseEvent("", "x", null)),
                decode(utf8("data\n\nevent\ndata: x\n\n")));
    }

    @Test
    void eventWithOnlyAnEventFieldIsDispatchedWithEmptyData() {
        assertEquals(List.of(new SseEvent("ping", "", null)), decode(utf8("event: ping\n\n")));
    }

    @Test
    void blankLinesAndUnknownFieldsAloneDispatchNothing() {
        assertEquals(List.of(), decode(utf8("\n\nretry: 3000\nfoo: bar\n\n\r\n")));
    }

    @Test
    void idBelongsToItsOwnEventOnly() {
        assertEquals(List.of(new SseEvent(null, "x", "7"), new SseEvent(null, "y", null)),
                decode(utf8("id: 7\ndata: x\n\ndata: y\n\n")));
    }

    @Test
    void idWithNulIsIgnored() {
        assertEquals(List.of(new SseEvent(null, "x", null)), decode(utf8("id: a\u0000b\ndata: x\n\n")));
    }

    @Test
    void leadingBomIsSkippedEvenWhenSplit() {
        byte[] withBom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("data: x\n\n"));
        assertEquals(List.of(new SseEvent(null, "x", null)), decode(withBom));
        assertEquals(List.of(new SseEvent(null, "x", null)), byteByByte(withBom, new SseDecoder()));
    }

    @Test
    void onlyTheFirstBomIsSkipped() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        assertEquals(List.of(), decode(concat(bom, concat(bom, utf8("data: x\n\n")))));
    }

    @Test
    void partialBomPrefixBelongsToTheFirstLine() {
        SseDecoder decoder = new SseDecoder();
        decoder.feed(new byte[] {(byte) 0xEF, (byte) 0xBB}, 0, 2);
        assertFalse(decoder.atEventBoundary());
        assertEquals(List.of(new SseEvent(null, "x", null)), feed(decoder, ":c\ndata: x\n\n"));
    }

    @Test
    void finishDiscardsUnterminatedEventsAndResets() {
        SseDecoder decoder = new SseDecoder();
        feed(decoder, "data: complete line\n");
        assertEquals(List.of(), decoder.finish());
        assertTrue(decoder.atEventBoundary());
        feed(decoder, "data: partial");
        assertEquals(List.of(), decoder.finish());
        assertEquals(List.of(), feed(decoder, "\n"));
        assertEquals(List.of(new SseEvent(null, "y", null)), feed(decoder, "data: y\n\n"));
    }

    @Test
    void byteBufferFeedLeavesTheCallersPositionAlone() {
        byte[] padded = concat(utf8("XXdata: x\n"), utf8("\nYY"));
        ByteBuffer heap = ByteBuffer.wrap(padded, 2, padded.length - 4).slice();
        SseDecoder decoder = new SseDecoder();
        assertEquals(List.of(new SseEvent(null, "x", null)), decoder.feed(heap));
        assertEquals(0, heap.position());

        ByteBuffer direct = ByteBuffer.allocateDirect(STREAM.length);
        direct.put(STREAM).flip();
        assertEquals(EXPECTED, new SseDecoder().feed(direct));
        assertEquals(0, direct.position());
        assertEquals(STREAM.length, direct.remaining());

        ByteBuffer readOnly = ByteBuffer.wrap(STREAM).asReadOnlyBuffer();
        readOnly.position(0);
        assertEquals(EXPECTED, new SseDecoder().feed(readOnly));
    }

    @Test
    void everyThreeWaySplitOfAShortMixedStream() {
        byte[] s = utf8("event: a\r\ndata: \u00e91\r\n\r\n: c\rdata: x\rdata: y\r\rid: 9\ndata\n\n");
        List<SseEvent> expected = List.of(new SseEvent("a", "\u00e91", null), new SseEvent(null, "x\ny", null),
                new SseEvent(null, "", "9"));
        assertEquals(expected, decode(s));
        for (int i = 0; i <= s.length; i++) {
            for (int j = i; j <= s.length; j++) {
                SseDecoder decoder = new SseDecoder();
                List<SseEvent> got = new ArrayList<>(decoder.feed(s, 0, i));
                got.addAll(decoder.feed(s, i, j - i));
                got.addAll(decoder.feed(s, j, s.length - j));
                assertEquals(expected, got, "split at " + i + "," + j);
                assertTrue(decoder.atEventBoundary(), "split at " + i + "," + j);
            }
        }
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() {
        byte[] line = new byte[SseDecoder.MAX_LINE_BYTES];
        Arrays.fill(line, (byte) 'a');
        System.arraycopy(utf8("data:"), 0, line, 0, 5);
        SseDecoder decoder = new SseDecoder();
        decoder.feed(line, 0, line.length);
        List<SseEvent> events = feed(decoder, "\n\n");
        assertEquals(1, events.size());
        assertEquals(SseDecoder.MAX_LINE_BYTES - 5, events.get(0).data().length());
    }

    @Test
    void lineOverTheLimitThrowsWhenBuffered() {
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        SseDecoder decoder = new SseDecoder();
        for (int i = 0; i < 16; i++) {
            decoder.feed(chunk, 0, chunk.length);
        }
        assertThrows(SseFormatException.class, () -> decoder.feed(chunk, 0, 1));
    }

    @Test
    void completeLineOverTheLimitInOneChunkThrows() {
        byte[] chunk = new byte[SseDecoder.MAX_LINE_BYTES + 2];
        Arrays.fill(chunk, (byte) 'a');
        chunk[chunk.length - 1] = '\n';
        assertThrows(SseFormatException.class, () -> new SseDecoder().feed(chunk, 0, chunk.length));
    }

    private static void assertEveryTwoWaySplit(byte[] s) {
        for (int i = 0; i <= s.length; i++) {
            SseDecoder decoder = new SseDecoder();
            List<SseEvent> got = new ArrayList<>(decoder.feed(s, 0, i));
            got.addAll(decoder.feed(s, i, s.length - i));
            assertEquals(EXPECTED, got, "split at " + i);
        }
    }

    private static List<SseEvent> feed(SseDecoder decoder, String s) {
        byte[] b = utf8(s);
        return decoder.feed(b, 0, b.length);
    }

    private static List<SseEvent> decode(byte[] s) {
        return new SseDecoder().feed(s, 0, s.length);
    }

    private static List<SseEvent> byteByByte(byte[] s, SseDecoder decoder) {
        List<SseEvent> got = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            got.addAll(decoder.feed(s, i, 1));
        }
        return got;
    }

    private static byte[] withLineEnds(byte[] lf, String lineEnd) {
        return new String(lf, StandardCharsets.UTF_8).replace("\n", lineEnd).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
