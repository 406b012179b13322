package dev.relaycluster.protocol.dialect;

import java.nio.charset.StandardCharsets;

/**
 * A quick byte check behind {@link Dialect#mayHoldStreamError}: whether SSE bytes could hold an in-stream error
 * event that a tap would report, judged by the words such an event must spell (its type or its key, such as
 * {@code error}). The word must come as its ASCII bytes unless the bytes hold a JSON escape (a backslash and a
 * {@code u}, which can spell any letter) or a zero byte (Jackson reads bytes that start with one as UTF-16 or
 * UTF-32); either of those makes the answer "maybe". Malformed UTF-8 cannot spell a letter (it decodes to
 * U+FFFD), and the SSE format joins nothing across lines without a line feed between.
 */
public final class StreamErrorMarks {

    private StreamErrorMarks() {
    }

    /** The ASCII bytes of {@code word}, for {@link #mayHold}. */
    public static byte[] word(String word) {
        return word.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Whether {@code length} bytes of {@code sse} from {@code offset} may spell one of {@code words}: false only
     * when none occurs and there is neither an escape nor a zero byte.
     */
    public static boolean mayHold(byte[] sse, int offset, int length, byte[]... words) {
        int end = offset + length;
        if (escapedOrWide(sse, offset, end)) {
            return true;
        }
        for (byte[] word : words) {
            if (indexOf(sse, offset, end, word) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #mayHold} for one word that matters only as a value (an event's type), never as an object's key:
     * an occurrence followed by its closing quote, spaces or tabs and a colon on the same line (as in a response
     * object's {@code "error": null}) does not count. A value cannot be followed by a colon in JSON, and a line
     * break (after which the data may go on, SSE joining the lines) stops the look, so the occurrence counts.
     */
    public static boolean mayHoldAsValue(byte[] sse, int offset, int length, byte[] word) {
        int end = offset + length;
        if (escapedOrWide(sse, offset, end)) {
            return true;
        }
        for (int at = indexOf(sse, offset, end, word); at >= 0; at = indexOf(sse, at + 1, end, word)) {
            if (!isKey(sse, at + word.length, end)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKey(byte[] b, int afterWord, int end) {
        if (afterWord >= end || b[afterWord] != '"') {
            return false;
        }
        int i = afterWord + 1;
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i < end && b[i] == ':';
    }

    private static boolean escapedOrWide(byte[] sse, int offset, int end) {
        for (int i = offset; i < end; i++) {
            byte b = sse[i];
            if (b == 0 || b == '\\' && i + 1 < end && sse[i + 1] == 'u') {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] b, int from, int end, byte[] what) {
        for (int i = from, last = end - what.length; i <= last; i++) {
            int k = 0;
            while (k < what.length && b[i + k] == what[k]) {
                k++;
            }
            if (k == what.length) {
                return i;
            }
        }
        return -1;
    }
}
