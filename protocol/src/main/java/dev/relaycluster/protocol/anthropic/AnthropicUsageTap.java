package dev.relaycluster.protocol.anthropic;

import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Watches an Anthropic Messages SSE stream as it passes through and collects model, token usage, stop
 * reason and any error event. Only message_start, message_delta and error data are read, with a streaming
 * parser ({@link EventFields}: what the tap needs is kept, the rest of the event is tokenised, not built), and
 * from the bytes as they came whenever Jackson reads them as it would read their text
 * ({@link JsonTokens#readsAsDecoded}; otherwise from the decoded text, as before). Malformed JSON is ignored.
 * One instance per stream; not thread-safe.
 */
public final class AnthropicUsageTap implements UsageTap {

    /** Content deltas and pings are most of a stream and carry no usage: their data is not decoded. */
    private final SseDecoder decoder = new SseDecoder(AnthropicUsageTap::carriesUsage);
    private final SseDecoder.DataHandler onData = this::onData;
    private final UsageAccumulator usage = new UsageAccumulator();
    private String model;
    private String stopReason;
    private String errorType;
    private String errorMessage;
    private byte[] errorJson;
    private boolean sawMessageStop;

    /** Feeds the remaining bytes of {@code chunk} without moving its position. */
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
        onData(null, json, 0, json.length);
    }

    /** Applies one decoded event; the type comes from the event field, else from the data's "type". */
    public void onEvent(SseEvent e) {
        String type = e.event() != null ? e.event() : Json.topLevelType(e.data());
        if (type == null) {
            return;
        }
        if ("message_stop".equals(type)) {
            sawMessageStop = true;
        } else if (carriesUsage(type)) {
            try (JsonTokens data = JsonTokens.of(e.data())) {
                if (read(type, data)) {
                    errorJson = e.data().getBytes(StandardCharsets.UTF_8);
                }
            } catch (IOException notJson) {
                // ignored, as any malformed event
            }
        }
    }

    /** An event from the decoder (or a whole event JSON), its data as bytes. */
    private void onData(String event, byte[] b, int off, int len) {
        if (!JsonTokens.readsAsDecoded(b, off, len)) {
            onEvent(new SseEvent(event, new String(b, off, len, StandardCharsets.UTF_8), null));
            return;
        }
        String type = event != null ? event : Json.topLevelType(b, off, len);
        if (type == null) {
            return;
        }
        if ("message_stop".equals(type)) {
            sawMessageStop = true;
        } else if (carriesUsage(type)) {
            try (JsonTokens data = JsonTokens.of(b, off, len)) {
                if (read(type, data)) {
                    errorJson = Arrays.copyOfRange(b, off, off + len);
                }
            } catch (IOException notJson) {
                // ignored, as any malformed event
            }
        }
    }

    /**
     * Reads the data of a message_start, message_delta or error event and applies what it says (nothing when it is
     * not JSON); true when it was an error event that was applied (its bytes are then the error JSON).
     */
    private boolean read(String type, JsonTokens data) throws IOException {
        switch (type) {
            case "message_start" -> {
                EventFields.Start start = EventFields.start(data);
                if (start != null) {
                    model = start.model();
                    usage.addStart(start.usage());
                }
                return false;
            }
            case "message_delta" -> {
                EventFields.Delta delta = EventFields.delta(data);
                if (delta != null) {
                    if (delta.stopReason() != null) {
                        stopReason = delta.stopReason();
                    }
                    usage.addDelta(delta.usage());
                }
                return false;
            }
            case "error" -> {
                EventFields.Failure error = EventFields.error(data);
                if (error == null) {
                    return false;
                }
                errorType = error.type();
                errorMessage = error.message();
                return true;
            }
            default -> {
                // content_block_*, ping and unknown events carry no usage
                return false;
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
}
