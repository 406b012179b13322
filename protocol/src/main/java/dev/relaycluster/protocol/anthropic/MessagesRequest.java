package dev.relaycluster.protocol.anthropic;

import dev.relaycluster.protocol.dialect.InvalidRequestException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;

/** A validated Anthropic Messages request body: the fields the relay needs plus the parsed JSON. */
public final class MessagesRequest {

    private final JsonNode json;
    private final String model;
    private final boolean stream;
    private final long maxTokens;

    private MessagesRequest(JsonNode json, String model, boolean stream, long maxTokens) {
        this.json = json;
        this.model = model;
        this.stream = stream;
        this.maxTokens = maxTokens;
    }

    /**
     * Parses and checks {@code body}.
     *
     * @throws InvalidRequestException with a client-facing message when the body is empty, not JSON, not
     *         an object, lacks a non-empty string {@code model}, or has a non-boolean {@code stream}
     */
    public static MessagesRequest parse(byte[] body) {
        if (body == null || isBlank(body)) {
            throw new InvalidRequestException("request body is empty");
        }
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IOException e) {
            // Where it went wrong, in the client's terms; the parser's own message names library classes.
            String where = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " (at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")"
                    : "";
            throw new InvalidRequestException("request body is not valid JSON" + where);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object");
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isTextual() || model.textValue().isEmpty()) {
            throw new InvalidRequestException("model: Field required");
        }
        JsonNode stream = root.get("stream");
        if (stream != null && !stream.isBoolean()) {
            throw new InvalidRequestException("stream: Input should be a valid boolean");
        }
        JsonNode maxTokens = root.get("max_tokens");
        long max = maxTokens != null && maxTokens.isIntegralNumber() && maxTokens.canConvertToLong()
                ? maxTokens.longValue()
                : -1;
        return new MessagesRequest(root, model.textValue(), stream != null && stream.booleanValue(), max);
    }

    /** The requested model, never empty. */
    public String model() {
        return model;
    }

    /** Whether the client asked for an SSE stream ({@code stream: true}). */
    public boolean stream() {
        return stream;
    }

    /** {@code max_tokens}, or -1 when absent or not an integer. */
    public long maxTokens() {
        return maxTokens;
    }

    /** The parsed root object (shared, not copied). */
    public JsonNode json() {
        return json;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
