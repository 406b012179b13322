package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link ResponsesUsageTap} as it was before it read events with a streaming parser from their bytes (its code then,
 * unchanged: a JSON tree per event read, every event's data decoded into a string first): the reference the
 * streaming reads are compared with.
 */
final class TreeResponsesTap implements UsageTap {

    private final SseDecoder decoder = new SseDecoder(this::wantsData);
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
        String type = Json.topLevelType(json);
        if (type != null && wantsData(type)) {
            Json.tryParse(json).ifPresent(root -> apply(type, root, json));
        }
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
        String type = e.event() != null ? e.event() : Json.topLevelType(e.data());
        if (type == null || !wantsData(type) || e.data().isEmpty()) {
            return;
        }
        byte[] data = e.data().getBytes(StandardCharsets.UTF_8);
        Json.tryParse(data).ifPresent(root -> apply(type, root, data));
    }

    /** The events whose data is decoded; the model-only events only while the model is unknown. */
    private boolean wantsData(String type) {
        return switch (type) {
            case "response.created", "response.in_progress" -> model == null;
            case "response.completed", "response.incomplete", "response.failed", "error" -> true;
            default -> false;
        };
    }

    private void apply(String type, JsonNode root, byte[] raw) {
        JsonNode response = root.get("response");
        switch (type) {
            case "response.created", "response.in_progress" -> takeModel(response);
            case "response.completed", "response.incomplete" -> {
                takeUsage(response);
                sawEnd = true;
            }
            case "response.failed" -> {
                takeUsage(response);
                String code = Json.text(response == null ? null : response.get("error"), "code");
                errorType = code != null ? code : "response_failed";
                errorJson = raw;
            }
            case "error" -> {
                OpenAiErrorBody error = OpenAiErrorBody.of(root);
                errorType = error.type() != null ? error.type() : error.code() != null ? error.code() : "error";
                errorJson = raw;
            }
            default -> {
                // not reached: wantsData filters
            }
        }
    }

    private void takeModel(JsonNode response) {
        String m = Json.text(response, "model");
        if (m != null) {
            model = m;
        }
    }

    private void takeUsage(JsonNode response) {
        takeModel(response);
        if (response != null && response.path("usage").isObject()) {
            MessageUsage found = ResponsesUsage.fromResponse(response);
            usage = found.usage();
        }
    }
}
