package dev.relaycluster.protocol.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Incremental {@code text/event-stream} parser following the WHATWG EventSource rules; bytes go in as
 * they arrive, complete events come out. One instance per stream; not thread-safe.
 *
 * <p>Lines end in LF, CRLF or CR (a CRLF split across two chunks is one line end). Line bytes are
 * buffered as bytes and decoded as UTF-8 only once complete, so multi-byte characters may be split
 * anywhere. A UTF-8 BOM at the very start is skipped, lines starting with ':' are comments, one space
 * after the field's colon is stripped, and unknown fields (including {@code retry}) are ignored. A blank
 * line dispatches the event when a {@code data} or {@code event} field was seen (an event with only
 * {@code event:} has data ""). Unlike a browser, {@link SseEvent#id()} is the id given in the event's own
 * block rather than the sticky "last event ID".
 *
 * <p>A reader that needs the data of only some event types says which ({@link #SseDecoder(Predicate)}):
 * an event whose {@code event} field refuses is still dispatched, with data "", and its data lines are
 * neither copied nor decoded.
 *
 * <p>A reader that wants the data as bytes (to parse them without a string in between) passes a
 * {@link DataHandler} to {@link #feed(ByteBuffer, DataHandler)}: each event is handed over as it completes, its
 * data still UTF-8 bytes (not decoded, so possibly malformed), and no {@link SseEvent} is made.
 */
public final class SseDecoder {

    /** The longest line accepted, in bytes; a longer one throws {@link SseFormatException}. */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final int INITIAL_CAPACITY = 256;
    private static final int RETAINED_CAPACITY = 64 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int SCRATCH_SIZE = 8 * 1024;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] DATA = ascii("data");
    private static final byte[] EVENT = ascii("event");
    private static final byte[] ID = ascii("id");

    /**
     * Copies of a non-array buffer's bytes, one array per thread: a decoder lives as long as its stream (often
     * minutes, thousands at once) and is fed on whichever thread runs it, so it keeps no array of its own for them.
     */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();
    private static final byte[] NONE = new byte[0];

    /** A line split across feeds; empty (no array) until one is. */
    private byte[] line = NONE;
    private int lineLength;
    /** The event's data so far; no array until an event has data to keep. */
    private byte[] data = NONE;
    private int dataLength;
    private boolean hasData;
    private String eventType;
    private String id;
    private boolean bomChecked;
    private int bomMatched;
    private boolean skipLf;
    private List<SseEvent> out;
    private final Predicate<String> keepsDataOf;
    /** The current event's type refused its data. */
    private boolean dropData;
    /** The handler of the feed under way, null when events are collected into a list. */
    private DataHandler handler;

    /** A decoder that keeps the data of every event. */
    public SseDecoder() {
        this(type -> true);
    }

    /** A decoder that keeps the data only of events whose {@code event} field {@code keepsDataOf} accepts. */
    public SseDecoder(Predicate<String> keepsDataOf) {
        this.keepsDataOf = Objects.requireNonNull(keepsDataOf);
    }

    /** Receives the events of {@link #feed(ByteBuffer, DataHandler)} as they complete. */
    @FunctionalInterface
    public interface DataHandler {
        /**
         * One event. Its data (the {@code data} lines joined with "\n", as in {@link SseEvent#data()}) is the
         * {@code length} bytes of {@code data} from {@code offset}: the decoder's own buffer, valid only during this
         * call. A handler must not throw (the decoder would be left mid-line).
         *
         * @param event the {@code event} field, or null when the event had none
         */
        void onEvent(String event, byte[] data, int offset, int length);
    }

    /** Parses {@code length} bytes of {@code bytes} from {@code offset}; returns the events they complete. */
    public List<SseEvent> feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        scan(bytes, offset, offset + length);
        return drain();
    }

    /** Parses the remaining bytes of {@code buf} without moving its position; returns the events they complete. */
    public List<SseEvent> feed(ByteBuffer buf) {
        scanRemaining(buf);
        return drain();
    }

    /**
     * As {@link #feed(byte[], int, int)}, handing each event to {@code handler} as it completes instead of
     * returning it: the same events, their data not decoded.
     */
    public void feed(byte[] bytes, int offset, int length, DataHandler handler) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.handler = Objects.requireNonNull(handler);
        try {
            scan(bytes, offset, offset + length);
        } finally {
            this.handler = null;
        }
    }

    /**
     * As {@link #feed(ByteBuffer)}, handing each event to {@code handler} as it completes instead of returning it:
     * the same events, their data not decoded.
     */
    public void feed(ByteBuffer buf, DataHandler handler) {
        this.handler = Objects.requireNonNull(handler);
        try {
            scanRemaining(buf);
        } finally {
            this.handler = null;
        }
    }

    private void scanRemaining(ByteBuffer buf) {
        ByteBuffer view = buf.duplicate();
        if (view.hasArray()) {
            int start = view.arrayOffset() + view.position();
            scan(view.array(), start, start + view.remaining());
        } else {
            // Taken while in use: an event handler that feeds another decoder on this thread gets an array of its own.
            byte[] scratch = SCRATCH.get();
            if (scratch == null) {
                scratch = new byte[SCRATCH_SIZE];
            } else {
                SCRATCH.set(null);
            }
            try {
                while (view.hasRemaining()) {
                    int n = Math.min(scratch.length, view.remaining());
                    view.get(scratch, 0, n);
                    scan(scratch, 0, n);
                }
            } finally {
                SCRATCH.set(scratch);
            }
        }
    }

    /**
     * True when nothing of a line or of an event is buffered: nothing has been fed yet, or the bytes so far
     * end right after a blank line or after a line that left no pending event (such as a comment).
     */
    public boolean atEventBoundary() {
        return (bomChecked || bomMatched == 0) && lineLength == 0 && !hasData && eventType == null && id == null;
    }

    /**
     * Ends the stream and resets the decoder. As in the WHATWG rules, whatever is buffered is discarded:
     * an unterminated line and also an event whose last line is complete but not followed by a blank
     * line. The result is therefore always empty.
     */
    public List<SseEvent> finish() {
        lineLength = 0;
        clearEvent();
        bomChecked = false;
        bomMatched = 0;
        skipLf = false;
        return List.of();
    }

    private void scan(byte[] b, int from, int end) {
        int i = bomChecked ? from : skipBom(b, from, end);
        if (skipLf && i < end) {
            skipLf = false;
            if (b[i] == '\n') {
                i++;
            }
        }
        int lineStart = i;
        while (i < end) {
            byte c = b[i];
            if (c != '\n' && c != '\r') {
                i++;
                continue;
            }
            endLine(b, lineStart, i);
            i++;
            if (c == '\r') {
                if (i == end) {
                    skipLf = true;
                } else if (b[i] == '\n') {
                    i++;
                }
            }
            lineStart = i;
        }
        if (lineStart < end) {
            appendToLine(b, lineStart, end - lineStart);
        }
    }

    private int skipBom(byte[] b, int from, int end) {
        int i = from;
        while (i < end && !bomChecked) {
            if (b[i] == BOM[bomMatched]) {
                i++;
                bomMatched++;
                bomChecked = bomMatched == BOM.length;
            } else {
                appendToLine(BOM, 0, bomMatched);
                bomChecked = true;
            }
        }
        return i;
    }

    private void endLine(byte[] b, int start, int end) {
        int n = end - start;
        if (lineLength == 0) {
            checkLineLength(n);
            processLine(b, start, n);
            return;
        }
        appendToLine(b, start, n);
        processLine(line, 0, lineLength);
        lineLength = 0;
        if (line.length > RETAINED_CAPACITY) {
            line = NONE;
        }
    }

    private void appendToLine(byte[] b, int start, int n) {
        checkLineLength((long) lineLength + n);
        if (lineLength + n > line.length) {
            line = grow(line, lineLength + n);
        }
        System.arraycopy(b, start, line, lineLength, n);
        lineLength += n;
    }

    private static void checkLineLength(long n) {
        if (n > MAX_LINE_BYTES) {
            throw new SseFormatException("event stream line longer than " + MAX_LINE_BYTES + " bytes");
        }
    }

    private void processLine(byte[] b, int off, int n) {
        if (n == 0) {
            dispatch();
            return;
        }
        if (b[off] == ':') {
            return;
        }
        int end = off + n;
        int colon = off;
        while (colon < end && b[colon] != ':') {
            colon++;
        }
        int valueStart = colon < end ? colon + 1 : end;
        if (valueStart < end && b[valueStart] == ' ') {
            valueStart++;
        }
        int nameLength = colon - off;
        if (is(b, off, nameLength, DATA)) {
            if (dropData) {
                hasData = true;
            } else {
                appendData(b, valueStart, end - valueStart);
            }
        } else if (is(b, off, nameLength, EVENT)) {
            eventType = utf8(b, valueStart, end - valueStart);
            dropData = !keepsDataOf.test(eventType);
            if (dropData) {
                dataLength = 0;
            }
        } else if (is(b, off, nameLength, ID) && !containsNul(b, valueStart, end)) {
            id = utf8(b, valueStart, end - valueStart);
        }
    }

    private void appendData(byte[] b, int start, int n) {
        long needed = (long) dataLength + n + 1;
        if (needed > data.length) {
            data = grow(data, needed);
        }
        if (hasData) {
            data[dataLength++] = '\n';
        }
        System.arraycopy(b, start, data, dataLength, n);
        dataLength += n;
        hasData = true;
    }

    private void dispatch() {
        if (hasData || eventType != null) {
            int length = hasData && !dropData ? dataLength : 0;
            if (handler != null) {
                handler.onEvent(eventType, data, 0, length);
            } else {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(new SseEvent(eventType, length > 0 ? utf8(data, 0, length) : "", id));
            }
        }
        clearEvent();
    }

    private void clearEvent() {
        hasData = false;
        dropData = false;
        dataLength = 0;
        eventType = null;
        id = null;
        if (data.length > RETAINED_CAPACITY) {
            data = NONE;
        }
    }

    private List<SseEvent> drain() {
        List<SseEvent> events = out == null ? List.of() : out;
        out = null;
        return events;
    }

    private static byte[] grow(byte[] a, long needed) {
        if (needed > MAX_ARRAY) {
            throw new SseFormatException("event stream event larger than " + MAX_ARRAY + " bytes");
        }
        long size = Math.max(Math.max(needed, INITIAL_CAPACITY), 2L * a.length);
        return Arrays.copyOf(a, (int) Math.min(MAX_ARRAY, size));
    }

    private static boolean is(byte[] b, int off, int n, byte[] name) {
        return Arrays.equals(b, off, off + n, name, 0, name.length);
    }

    private static boolean containsNul(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static String utf8(byte[] b, int off, int n) {
        return new String(b, off, n, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
