package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;

/**
 * A validated OpenAI Chat Completions request body ({@code POST /v1/chat/completions}): the fields the relay
 * needs plus the parsed JSON. Rejections carry messages worded like the OpenAI API's own.
 */
public final class ChatRequest {

    private final JsonNode json;
    private final String model;
    private final boolean stream;
    private final long maxTokens;

    private ChatRequest(JsonNode json, String model, boolean stream, long maxTokens) {
        this.json = json;
        this.model = model;
        this.stream = stream;
        this.maxTokens = maxTokens;
    }

    /**
     * Parses and checks {@code body}.
     *
     * @throws InvalidRequestException when the body is empty or not JSON, not an object, lacks a non-empty
     *         string {@code model} or a non-empty array {@code messages}, or has a non-boolean {@code stream}
     */
    public static ChatRequest parse(byte[] body) {
        if (body == null || ResponsesRequest.isBlank(body)) {
            throw new InvalidRequestException(ResponsesRequest.NOT_JSON);
        }
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IOException e) {
            throw new InvalidRequestException(ResponsesRequest.NOT_JSON);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("Invalid type for request body: expected an object, but got "
                    + ResponsesRequest.typeName(root) + " instead.");
        }
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) {
            throw new InvalidRequestException("Missing required parameter: 'model'.");
        }
        if (!model.isTextual()) {
            throw new InvalidRequestException("Invalid type for 'model': expected a string, but got "
                    + ResponsesRequest.typeName(model) + " instead.");
        }
        if (model.textValue().isEmpty()) {
            throw new InvalidRequestException("Invalid 'model': empty string. Expected a string with minimum length"
                    + " 1, but got an empty string instead.");
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isNull()) {
            throw new InvalidRequestException("Missing required parameter: 'messages'.");
        }
        if (!messages.isArray()) {
            throw new InvalidRequestException("Invalid type for 'messages': expected an array, but got "
                    + ResponsesRequest.typeName(messages) + " instead.");
        }
        if (messages.isEmpty()) {
            throw new InvalidRequestException("Invalid 'messages': empty array. Expected an array with minimum length"
                    + " 1, but got an empty array instead.");
        }
        JsonNode stream = root.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw new InvalidRequestException("Invalid type for 'stream': expected a boolean, but got "
                    + ResponsesRequest.typeName(stream) + " instead.");
        }
        long max = count(root.get("max_completion_tokens"));
        if (max < 0) {
            max = count(root.get("max_tokens"));
        }
        return new ChatRequest(root, model.textValue(), stream != null && stream.booleanValue(), max);
    }

    /** Whether a Chat body asks for the usage chunk of a stream ({@code stream_options.include_usage: true}). */
    public static boolean asksUsage(JsonNode body) {
        return body != null && body.path("stream_options").path("include_usage").asBoolean(false);
    }

    /** The requested model, never empty. */
    public String model() {
        return model;
    }

    /** Whether the client asked for an SSE stream ({@code stream: true}). */
    public boolean stream() {
        return stream;
    }

    /** {@code max_completion_tokens}, else {@code max_tokens}, else -1. */
    public long maxTokens() {
        return maxTokens;
    }

    /** The parsed root object (shared, not copied). */
    public JsonNode json() {
        return json;
    }

    private static long count(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0 ? n.longValue() : -1;
    }
}
