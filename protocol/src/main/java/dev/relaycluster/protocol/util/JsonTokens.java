package dev.relaycluster.protocol.util;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.Closeable;
import java.io.IOException;

/**
 * A streaming read of one JSON document that answers as reading it into a tree ({@link Json#tryParse}) and then
 * asking the tree would, without building the tree: for the few fields a caller wants, it reads their values
 * ({@link #text}, {@link #count}, with the rules of {@link Json#text} and {@link Json#count}), and every other
 * value is tokenised but not kept ({@link #skip}), so the whole document is still checked to be well-formed JSON
 * within the shared mapper's limits. The caller keeps tree semantics itself: a field read twice counts with its
 * last value, and nothing read counts before the document ended with no trailing tokens ({@link #ended}). A
 * document with no value at all (empty or blank) is what a tree read takes for a missing node.
 *
 * <p>Usage: {@code try (JsonTokens r = JsonTokens.of(bytes, off, len)) { JsonToken t = r.next(); … }}, any
 * {@link IOException} meaning "not JSON" (what {@link Json#tryParse} answers with empty). One instance per
 * document; not thread-safe.
 */
public final class JsonTokens implements Closeable {

    /** The longest string a tree read takes (Jackson's {@code StreamReadConstraints}). */
    private static final int MAX_STRING = Json.mapper().getFactory().streamReadConstraints().getMaxStringLength();

    private final JsonParser p;
    /**
     * Whether skipped strings are decoded (and measured), as a tree read decodes every string: needed only when the
     * input is long enough to hold a string over {@link #MAX_STRING} characters, or is bytes that are not
     * well-formed UTF-8 (Jackson's skip of a string checks less of its encoding than its decoding, which refuses a
     * surrogate, for one). Otherwise a string is skipped without being decoded.
     */
    private final boolean decodeStrings;

    private JsonTokens(JsonParser p, boolean decodeStrings) {
        this.p = p;
        this.decodeStrings = decodeStrings;
    }

    /** A read of {@code length} bytes of {@code json} from {@code offset}, taken as Jackson takes bytes. */
    public static JsonTokens of(byte[] json, int offset, int length) throws IOException {
        boolean decodeStrings = length > MAX_STRING || !wellFormedUtf8(json, offset, offset + length);
        return new JsonTokens(Json.mapper().getFactory().createParser(json, offset, length), decodeStrings);
    }

    /** A read of {@code json}. */
    public static JsonTokens of(String json) throws IOException {
        return new JsonTokens(Json.mapper().getFactory().createParser(json), json.length() > MAX_STRING);
    }

    /** The next token; null at the end of the input. */
    public JsonToken next() throws IOException {
        return p.nextToken();
    }

    /** The name of the field whose {@link JsonToken#FIELD_NAME} (or value) was just read. */
    public String name() throws IOException {
        return p.currentName();
    }

    /** The value whose first token {@code value} was just read, when it is a string; else null (it is skipped). */
    public String text(JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        skip(value);
        return null;
    }

    /**
     * The value whose first token {@code value} was just read, when it is a non-negative integer that fits a long;
     * 0 for any other value (a negative or too big integer, a fraction, a string, null, an object: skipped).
     */
    public long count(JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return Math.max(0, p.getLongValue());
        }
        skip(value);
        return 0;
    }

    /**
     * {@code value.field} as {@link Json#text(com.fasterxml.jackson.databind.JsonNode, String)} reads it from a
     * tree: when the value whose first token {@code value} was just read is an object, the string of its (last)
     * {@code field}, else null. The whole value is read.
     */
    public String text(JsonToken value, String field) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            skip(value);
            return null;
        }
        String found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals(name)) {
                found = text(v);
            } else {
                skip(v);
            }
        }
        return found;
    }

    /**
     * {@code value.field} as {@link Json#count(com.fasterxml.jackson.databind.JsonNode, String)} reads it from a
     * tree: when the value whose first token {@code value} was just read is an object, the {@link #count} of its
     * (last) {@code field}, else 0. The whole value is read.
     */
    public long count(JsonToken value, String field) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            skip(value);
            return 0;
        }
        long found = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals(name)) {
                found = count(v);
            } else {
                skip(v);
            }
        }
        return found;
    }

    /** Skips the value whose first token {@code value} was just read (an object or array with all it holds). */
    public void skip(JsonToken value) throws IOException {
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            if (!decodeStrings) {
                p.skipChildren();
                return;
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    // Not reached: the parser reports an unclosed object or array itself.
                    throw new StreamConstraintsException("end of input inside a value");
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                } else {
                    decodeIfSkipsDiffer(t);
                }
            }
        } else {
            decodeIfSkipsDiffer(value);
        }
    }

    /** Whether the document ends after the value just read: no token follows (a tree read refuses trailing ones). */
    public boolean ended() throws IOException {
        return p.nextToken() == null;
    }

    @Override
    public void close() throws IOException {
        p.close();
    }

    /** Decodes a skipped string when {@link #decodeStrings}: refused as a tree read would refuse it. */
    private void decodeIfSkipsDiffer(JsonToken t) throws IOException {
        if (decodeStrings && t == JsonToken.VALUE_STRING && p.getTextLength() > MAX_STRING) {
            throw new StreamConstraintsException(
                    "String value length exceeds the maximum allowed (" + MAX_STRING + ")");
        }
    }

    /**
     * Whether {@link Json#tryParse(byte[])} gives a value for {@code json}, found with a token scan instead of a
     * tree: one JSON value and nothing after it, or no value at all (empty or blank input, a missing node). False
     * for null.
     */
    public static boolean isJson(byte[] json) {
        if (json == null) {
            return false;
        }
        try (JsonTokens r = of(json, 0, json.length)) {
            JsonToken t = r.next();
            if (t == null) {
                return true;
            }
            r.skip(t);
            return r.ended();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether Jackson reads {@code length} bytes of {@code b} from {@code offset} exactly as it reads the string
     * they decode to ({@code new String(b, offset, length, UTF_8)}), so a reader of the string may read the bytes
     * instead: they are well-formed UTF-8 (nothing the decoder would replace), do not start with a byte order mark
     * and have no zero byte among the first four (from which Jackson guesses UTF-16 or UTF-32 for bytes).
     */
    public static boolean readsAsDecoded(byte[] b, int offset, int length) {
        int end = offset + length;
        if (length >= 3 && b[offset] == (byte) 0xEF && b[offset + 1] == (byte) 0xBB && b[offset + 2] == (byte) 0xBF) {
            return false;
        }
        for (int i = offset; i < Math.min(end, offset + 4); i++) {
            if (b[i] == 0) {
                return false;
            }
        }
        return wellFormedUtf8(b, offset, end);
    }

    /** Whether the bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). */
    private static boolean wellFormedUtf8(byte[] b, int from, int end) {
        int i = from;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                lo = c == 0xE0 ? 0xA0 : 0x80;
                hi = c == 0xED ? 0x9F : 0xBF;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                lo = c == 0xF0 ? 0x90 : 0x80;
                hi = c == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            if (end - i <= n) {
                return false;
            }
            int second = b[i + 1] & 0xff;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }
}
