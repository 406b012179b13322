package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage of an OpenAI Responses answer (Codex): the {@code usage} of the {@code response.completed}
 * event, or of a whole response object. OpenAI counts cached prompt tokens inside {@code input_tokens}
 * ({@code input_tokens_details.cached_tokens}); here they are moved to the cache-read class so that
 * every token is priced once: input = input_tokens − cached_tokens, cache read = cached_tokens.
 * Reasoning tokens are part of {@code output_tokens} already.
 */
public final class ResponsesUsage {

    private ResponsesUsage() {
    }

    /** Model and usage of a response object; null model and ZERO usage when absent. */
    public static MessageUsage fromResponse(JsonNode response) {
        if (response == null || !response.isObject()) {
            return new MessageUsage(null, TokenUsage.ZERO);
        }
        JsonNode usage = response.get("usage");
        if (usage == null || !usage.isObject()) {
            return new MessageUsage(Json.text(response, "model"), TokenUsage.ZERO);
        }
        long input = Json.count(usage, "input_tokens");
        long cached = Math.min(input, Json.count(usage.path("input_tokens_details"), "cached_tokens"));
        long output = Json.count(usage, "output_tokens");
        return new MessageUsage(Json.text(response, "model"), new TokenUsage(input - cached, output, cached, 0, 0));
    }

    /**
     * The token usage of a response's {@code usage} object as {@link #fromResponse} counts it, for the object whose
     * {@code START_OBJECT} {@code r} just read (read to its end).
     */
    static TokenUsage read(JsonTokens r) throws IOException {
        long input = 0;
        long cached = 0;
        long output = 0;
        while (r.next() == JsonToken.FIELD_NAME) {
            String name = r.name();
            JsonToken value = r.next();
            switch (name) {
                case "input_tokens" -> input = r.count(value);
                case "input_tokens_details" -> cached = r.count(value, "cached_tokens");
                case "output_tokens" -> output = r.count(value);
                default -> r.skip(value);
            }
        }
        cached = Math.min(input, cached);
        return new TokenUsage(input - cached, output, cached, 0, 0);
    }

    /** Model and usage of a streamed answer: the last {@code response.completed} (or incomplete) event's. */
    public static MessageUsage fromStream(byte[] sse) {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>(decoder.feed(sse, 0, sse.length));
        events.addAll(decoder.finish());
        MessageUsage found = new MessageUsage(null, TokenUsage.ZERO);
        for (SseEvent e : events) {
            JsonNode data = Json.tryParse(e.data()).orElse(null);
            if (data == null) {
                continue;
            }
            String type = Json.text(data, "type");
            if ("response.completed".equals(type) || "response.incomplete".equals(type)
                    || "response.failed".equals(type)) {
                found = fromResponse(data.get("response"));
            }
        }
        return found;
    }
}
