package dev.relaycluster.protocol.openai;

import dev.relaycluster.protocol.dialect.StreamReframer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Passes a Chat SSE stream through byte for byte, except the usage-only chunk, which it drops. It holds back
 * only the event being received (up to its blank line); line ends may be LF, CRLF or CR, split anywhere.
 */
final class UsageChunkFilter implements StreamReframer {

    private static final byte[] NONE = new byte[0];

    /** The bytes of the event not yet complete. */
    private byte[] pending = NONE;
    /** Bytes of the current line so far (terminators excluded). */
    private int lineLength;
    /** The previous byte ended a line with CR: a LF right after it belongs to the same line end. */
    private boolean afterCr;
    /** The event before a pending CR's LF was dropped (the LF goes with it). */
    private boolean lastDropped;

    @Override
    public byte[] feed(ByteBuffer chunk) {
        byte[] in = new byte[chunk.remaining()];
        chunk.duplicate().get(in);
        byte[] buf = pending.length == 0 ? in : ChatIncludeUsage.concat(pending, in, 0, in.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(buf.length);
        int start = 0;
        for (int i = pending.length; i < buf.length; i++) {
            byte b = buf[i];
            if (b == '\n' && afterCr) {
                afterCr = false;
                if (i == start) {
                    // The LF of a CRLF whose CR completed the event before.
                    if (!lastDropped) {
                        out.write(b);
                    }
                    start = i + 1;
                }
                continue;
            }
            afterCr = b == '\r';
            if (b != '\n' && b != '\r') {
                lineLength++;
                continue;
            }
            if (lineLength > 0) {
                lineLength = 0;
                continue;
            }
            // A blank line: the event [start, i] is complete.
            lastDropped = ChatIncludeUsage.isUsageChunk(buf, start, i + 1);
            if (!lastDropped) {
                out.write(buf, start, i + 1 - start);
            }
            start = i + 1;
        }
        pending = start == buf.length ? NONE : java.util.Arrays.copyOfRange(buf, start, buf.length);
        return out.toByteArray();
    }

    @Override
    public byte[] end() {
        byte[] rest = pending;
        pending = NONE;
        return rest;
    }
}
