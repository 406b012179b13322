package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link ChatUsageTap} as it was before it read events with a streaming parser from their bytes (its code then,
 * unchanged: a JSON tree per event read, every event's data decoded into a string first): the reference the
 * streaming reads are compared with.
 */
final class TreeChatTap implements UsageTap {

    static final String DONE = "[DONE]";

    private final SseDecoder decoder = new SseDecoder();
    private String model;
    private TokenUsage usage = TokenUsage.ZERO;
    private boolean sawEnd;
    private String errorType;
    private byte[] errorJson;

    @Override
    public void feed(ByteBuffer chunk) {
        decoder.feed(chunk).forEach(this::onSseEvent);
    }

    /** Feeds {@code len} bytes of {@code b} from {@code off}. */
    public void feed(byte[] b, int off, int len) {
        decoder.feed(b, off, len).forEach(this::onSseEvent);
    }

    @Override
    public void onEventJson(byte[] json) {
        onData(new String(json, StandardCharsets.UTF_8));
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

    private void onSseEvent(SseEvent e) {
        if (!e.data().isEmpty()) {
            onData(e.data());
        }
    }

    private void onData(String data) {
        if (DONE.equals(data.strip())) {
            sawEnd = true;
            return;
        }
        if (!worthParsing(data)) {
            return;
        }
        byte[] raw = data.getBytes(StandardCharsets.UTF_8);
        JsonNode root = Json.tryParse(raw).orElse(null);
        if (root == null || !root.isObject()) {
            return;
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            OpenAiErrorBody body = OpenAiErrorBody.of(root);
            errorType = body.type() != null ? body.type() : body.code() != null ? body.code() : "error";
            errorJson = raw;
            return;
        }
        String m = Json.text(root, "model");
        if (m != null && !m.isEmpty() && model == null) {
            model = m;
        }
        JsonNode u = root.get("usage");
        if (u != null && u.isObject()) {
            usage = ChatUsage.of(u);
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
}
