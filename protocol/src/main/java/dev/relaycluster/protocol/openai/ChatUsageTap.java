package dev.relaycluster.protocol.openai;

import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Watches an OpenAI Chat Completions stream as it passes through: {@code data: {chat.completion.chunk}}
 * events, no {@code event:} field, ended by {@code data: [DONE]}. The model comes from the first chunk that
 * names one; usage from the chunk that carries a {@code usage} object (the {@code choices:[]} chunk sent with
 * {@code stream_options.include_usage}; the last one wins); {@link #sawEnd()} is true after {@code [DONE]}.
 * An error object ({@code data: {"error":{…}}}) gives {@link #errorType()} (its type, else its code) and
 * {@link #errorJson()}. A chunk is JSON-parsed only while the model is unknown or when its text names a
 * usage object or an error, and then with a streaming parser ({@link ChatChunk}); content deltas are not decoded.
 * Chunks are read as the bytes they came in whenever Jackson reads those as it would their text
 * ({@link JsonTokens#readsAsDecoded}), else from the decoded text as before. Malformed JSON is ignored. One
 * instance per stream; not thread-safe.
 */
public final class ChatUsageTap implements UsageTap {

    static final String DONE = "[DONE]";
    private static final byte[] DONE_BYTES = DONE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE_NULL = "\"usage\":null".getBytes(StandardCharsets.US_ASCII);

    private final SseDecoder decoder = new SseDecoder();
    private final SseDecoder.DataHandler onData = (event, data, off, len) -> onData(data, off, len);
    private String model;
    private TokenUsage usage = TokenUsage.ZERO;
    private boolean sawEnd;
    private String errorType;
    private byte[] errorJson;

    @Override
    public void feed(ByteBuffer chunk) {
        decoder.feed(chunk, onData);
    }

    /** Feeds {@code len} bytes of {@code b} from {@code off}. */
    public void feed(byte[] b, int off, int len) {
        decoder.feed(b, off, len, onData);
    }

    @Override
    public void onEventJson(byte[] json) {
        onData(json, 0, json.length);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public TokenUsage usage() {
        return usage;
    }

    @Override
    public boolean sawEnd() {
        return sawEnd;
    }

    @Override
    public boolean atEventBoundary() {
        return decoder.atEventBoundary();
    }

    @Override
    public String errorType() {
        return errorType;
    }

    @Override
    public byte[] errorJson() {
        return errorJson == null ? null : errorJson.clone();
    }

    /** One chunk's data as it came (an SSE event's, or a whole event JSON). */
    private void onData(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        if (!JsonTokens.readsAsDecoded(b, off, len) || indexOf(b, off, off + len, DONE_BYTES) >= 0) {
            // Text the bytes would not read as, or perhaps the end: the decoded text decides, as it always did.
            onData(new String(b, off, len, StandardCharsets.UTF_8));
        } else if (worthParsing(b, off, off + len)) {
            read(b, off, len);
        }
    }

    private void onData(String data) {
        if (DONE.equals(data.strip())) {
            sawEnd = true;
            return;
        }
        if (worthParsing(data)) {
            byte[] raw = data.getBytes(StandardCharsets.UTF_8);
            read(raw, 0, raw.length);
        }
    }

    private void read(byte[] b, int off, int len) {
        ChatChunk chunk;
        try (JsonTokens r = JsonTokens.of(b, off, len)) {
            chunk = ChatChunk.read(r);
        } catch (IOException notJson) {
            return;
        }
        if (chunk == null) {
            return;
        }
        if (chunk.error()) {
            byte[] raw = Arrays.copyOfRange(b, off, off + len);
            OpenAiErrorBody body = Json.tryParse(raw).map(OpenAiErrorBody::of).orElse(OpenAiErrorBody.EMPTY);
            errorType = body.type() != null ? body.type() : body.code() != null ? body.code() : "error";
            errorJson = raw;
            return;
        }
        String m = chunk.model();
        if (m != null && !m.isEmpty() && model == null) {
            model = m;
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
            if (m != null && !m.isEmpty()) {
                model = m;
            }
        }
    }

    /**
     * Whether a chunk may say something the tap keeps. Quotes inside JSON strings are escaped, so an
     * unescaped {@code "usage"} or {@code "error"} is a key (or a whole string value, parsed for nothing).
     */
    private boolean worthParsing(String data) {
        if (model == null || data.contains("\"error\"")) {
            return true;
        }
        int at = data.indexOf("\"usage\"");
        return at >= 0 && !data.startsWith("\"usage\":null", at);
    }

    /** {@link #worthParsing(String)} on the bytes of well-formed UTF-8 text (where ASCII bytes are its ASCII). */
    private boolean worthParsing(byte[] b, int from, int end) {
        if (model == null || indexOf(b, from, end, ERROR_KEY) >= 0) {
            return true;
        }
        int at = indexOf(b, from, end, USAGE_KEY);
        return at >= 0 && !Arrays.equals(b, at, Math.min(end, at + USAGE_NULL.length), USAGE_NULL, 0,
                USAGE_NULL.length);
    }

    /** Where {@code what} first occurs in {@code b} between {@code from} and {@code end}, or -1. */
    private static int indexOf(byte[] b, int from, int end, byte[] what) {
        byte first = what[0];
        for (int i = from, last = end - what.length; i <= last; i++) {
            if (b[i] == first && Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        return -1;
    }
}
