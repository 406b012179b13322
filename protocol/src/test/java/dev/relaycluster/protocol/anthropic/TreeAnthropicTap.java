package dev.relaycluster.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link AnthropicUsageTap} as it was before it read events with a streaming parser from their bytes (its code then,
 * unchanged: a JSON tree per event read, every event's data decoded into a string first): the reference the
 * streaming reads are compared with.
 */
final class TreeAnthropicTap implements UsageTap {

    /** Content deltas and pings are most of a stream and carry no usage: their data is not decoded. */
    private final SseDecoder decoder = new SseDecoder(TreeAnthropicTap::carriesUsage);
    private final TreeUsage usage = new TreeUsage();
    private String model;
    private String stopReason;
    private String errorType;
    private String errorMessage;
    private byte[] errorJson;
    private boolean sawMessageStop;

    /** Feeds the remaining bytes of {@code chunk} without moving its position. */
    @Override
    public void feed(ByteBuffer chunk) {
        decoder.feed(chunk).forEach(this::onEvent);
    }

    /** Feeds {@code len} bytes of {@code b} from {@code off}. */
    public void feed(byte[] b, int off, int len) {
        decoder.feed(b, off, len).forEach(this::onEvent);
    }

    @Override
    public void onEventJson(byte[] json) {
        onEvent(new SseEvent(null, new String(json, StandardCharsets.UTF_8), null));
    }

    /** Applies one decoded event; the type comes from the event field, else from the data's "type". */
    public void onEvent(SseEvent e) {
        String type = e.event() != null ? e.event() : Json.topLevelType(e.data());
        if (type == null) {
            return;
        }
        switch (type) {
            case "message_start" -> Json.tryParse(e.data()).ifPresent(this::onMessageStart);
            case "message_delta" -> Json.tryParse(e.data()).ifPresent(this::onMessageDelta);
            case "message_stop" -> sawMessageStop = true;
            case "error" -> Json.tryParse(e.data()).ifPresent(root -> {
                errorJson = e.data().getBytes(StandardCharsets.UTF_8);
                onError(root);
            });
            default -> {
                // content_block_*, ping and unknown events carry no usage
            }
        }
    }

    private static boolean carriesUsage(String eventType) {
        return switch (eventType) {
            case "message_start", "message_delta", "error" -> true;
            default -> false;
        };
    }

    /** The model named by message_start, or null before it. */
    @Override
    public String model() {
        return model;
    }

    /** Usage collected so far. */
    @Override
    public TokenUsage usage() {
        return usage.usage();
    }

    /** Whether a message_stop event has been seen. */
    public boolean sawMessageStop() {
        return sawMessageStop;
    }

    @Override
    public boolean sawEnd() {
        return sawMessageStop;
    }

    @Override
    public byte[] errorJson() {
        return errorJson;
    }

    /** Whether the bytes fed so far end exactly between events. */
    @Override
    public boolean atEventBoundary() {
        return decoder.atEventBoundary();
    }

    /** {@code error.type} of an error event, or null if none came. */
    @Override
    public String errorType() {
        return errorType;
    }

    /** {@code error.message} of an error event, or null if none came. */
    public String errorMessage() {
        return errorMessage;
    }

    /** {@code delta.stop_reason} of message_delta, or null. */
    public String stopReason() {
        return stopReason;
    }

    private void onMessageStart(JsonNode root) {
        JsonNode message = root.get("message");
        if (message != null && message.isObject()) {
            model = Json.text(message, "model");
            usage.addStart(message.get("usage"));
        }
    }

    private void onMessageDelta(JsonNode root) {
        String reason = Json.text(root.get("delta"), "stop_reason");
        if (reason != null) {
            stopReason = reason;
        }
        usage.addDelta(root.get("usage"));
    }

    private void onError(JsonNode root) {
        JsonNode error = root.get("error");
        errorType = Json.text(error, "type");
        errorMessage = Json.text(error, "message");
    }

    /** The usage accumulator of that time. */
        static final class TreeUsage {

        private long input;
        private long cacheRead;
        private long cacheCreation;
        private long cache5m;
        private long cache1h;
        private boolean breakdown;
        private long startOutput;
        private long deltaOutput;
        private boolean sawDeltaOutput;

        /** Usage of message_start, or of a complete non-streaming message. */
        void addStart(JsonNode usage) {
            if (usage != null && usage.isObject()) {
                addInputSide(usage);
                startOutput = Math.max(startOutput, Json.count(usage, "output_tokens"));
            }
        }

        /** Usage of a message_delta: cumulative output (last wins) and possibly cumulative input-side totals. */
        void addDelta(JsonNode usage) {
            if (usage != null && usage.isObject()) {
                addInputSide(usage);
                if (usage.hasNonNull("output_tokens")) {
                    deltaOutput = Json.count(usage, "output_tokens");
                    sawDeltaOutput = true;
                }
            }
        }

        TokenUsage usage() {
            return new TokenUsage(
                    input,
                    sawDeltaOutput ? deltaOutput : startOutput,
                    cacheRead,
                    breakdown ? cache5m : cacheCreation,
                    breakdown ? cache1h : 0);
        }

        private void addInputSide(JsonNode usage) {
            input = Math.max(input, Json.count(usage, "input_tokens"));
            cacheRead = Math.max(cacheRead, Json.count(usage, "cache_read_input_tokens"));
            cacheCreation = Math.max(cacheCreation, Json.count(usage, "cache_creation_input_tokens"));
            JsonNode split = usage.get("cache_creation");
            if (split != null && split.isObject()) {
                breakdown = true;
                cache5m = Math.max(cache5m, Json.count(split, "ephemeral_5m_input_tokens"));
                cache1h = Math.max(cache1h, Json.count(split, "ephemeral_1h_input_tokens"));
            }
        }
    }
}
