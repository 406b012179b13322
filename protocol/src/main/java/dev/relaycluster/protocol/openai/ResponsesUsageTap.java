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
 * Watches an OpenAI Responses answer as it passes through: an SSE stream ({@code event: <type>} plus
 * {@code data: {"type":…}}, no {@code [DONE]}) or whole event JSONs (WebSocket text frames). Only
 * {@code response.created} / {@code response.in_progress} (for the model, until it is known), the terminal
 * {@code response.completed} / {@code response.incomplete} / {@code response.failed} and {@code error} are
 * JSON-parsed, the response events with a streaming parser ({@link ResponseFields}: the response's output,
 * instructions and tools are tokenised, not built); deltas and output items are not decoded. Usage comes from the
 * terminal event's {@code response.usage} (as {@link ResponsesUsage#fromResponse} counts it). {@link #sawEnd()}
 * is true after {@code response.completed} or {@code response.incomplete} (a normal end with a reason, such as
 * {@code max_output_tokens}). SSE data is read as the bytes it came in whenever Jackson reads those as it would
 * their text ({@link JsonTokens#readsAsDecoded}), else from the decoded text as before. Malformed JSON is
 * ignored. One instance per stream; not thread-safe.
 */
public final class ResponsesUsageTap implements UsageTap {

    private final SseDecoder decoder = new SseDecoder(this::wantsData);
    private final SseDecoder.DataHandler onData = this::onData;
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
        String type = Json.topLevelType(json);
        if (type != null && wantsData(type)) {
            apply(type, json, 0, json.length);
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

    /** An SSE event, its data as it came. */
    private void onData(String event, byte[] b, int off, int len) {
        if (len == 0 || event != null && !wantsData(event)) {
            return;
        }
        if (!JsonTokens.readsAsDecoded(b, off, len)) {
            // Text the bytes would not read as: decoded and encoded again, as it always was.
            String data = new String(b, off, len, StandardCharsets.UTF_8);
            String type = event != null ? event : Json.topLevelType(data);
            if (type != null && wantsData(type)) {
                byte[] raw = data.getBytes(StandardCharsets.UTF_8);
                apply(type, raw, 0, raw.length);
            }
            return;
        }
        String type = event != null ? event : Json.topLevelType(b, off, len);
        if (type != null && wantsData(type)) {
            apply(type, b, off, len);
        }
    }

    /** The events whose data is decoded; the model-only events only while the model is unknown. */
    private boolean wantsData(String type) {
        return switch (type) {
            case "response.created", "response.in_progress" -> model == null;
            case "response.completed", "response.incomplete", "response.failed", "error" -> true;
            default -> false;
        };
    }

    /** Applies the JSON of an event that {@link #wantsData}; nothing when it is not JSON. */
    private void apply(String type, byte[] b, int off, int len) {
        if ("error".equals(type)) {
            // Rare, and its fields may sit in several places: read from a tree, as OpenAiErrorBody does.
            byte[] raw = Arrays.copyOfRange(b, off, off + len);
            Json.tryParse(raw).ifPresent(root -> {
                OpenAiErrorBody error = OpenAiErrorBody.of(root);
                errorType = error.type() != null ? error.type() : error.code() != null ? error.code() : "error";
                errorJson = raw;
            });
            return;
        }
        ResponseFields response;
        try (JsonTokens r = JsonTokens.of(b, off, len)) {
            response = ResponseFields.read(r);
        } catch (IOException notJson) {
            return;
        }
        if (response == null) {
            return;
        }
        switch (type) {
            case "response.created", "response.in_progress" -> takeModel(response);
            case "response.completed", "response.incomplete" -> {
                takeUsage(response);
                sawEnd = true;
            }
            case "response.failed" -> {
                takeUsage(response);
                errorType = response.errorCode() != null ? response.errorCode() : "response_failed";
                errorJson = Arrays.copyOfRange(b, off, off + len);
            }
            default -> {
                // not reached: wantsData filters
            }
        }
    }

    private void takeModel(ResponseFields response) {
        if (response.model() != null) {
            model = response.model();
        }
    }

    private void takeUsage(ResponseFields response) {
        takeModel(response);
        if (response.usage() != null) {
            usage = response.usage();
        }
    }
}
