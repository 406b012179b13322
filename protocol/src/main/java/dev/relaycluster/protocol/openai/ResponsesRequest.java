package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;

/**
 * A validated OpenAI Responses request body ({@code POST /responses}, {@code /responses/compact}): the
 * fields the relay needs plus the parsed JSON. Rejections carry messages worded like the OpenAI API's own.
 */
public final class ResponsesRequest {

    static final String NOT_JSON = "We could not parse the JSON body of your request. (HINT: This likely means you"
            + " aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent"
            + " was not valid JSON.)";

    private final JsonNode json;
    private final String model;
    private final boolean stream;
    private final long maxOutputTokens;

    private ResponsesRequest(JsonNode json, String model, boolean stream, long maxOutputTokens) {
        this.json = json;
        this.model = model;
        this.stream = stream;
        this.maxOutputTokens = maxOutputTokens;
    }

    /**
     * Parses and checks {@code body}.
     *
     * @throws InvalidRequestException when the body is empty or not JSON, not an object, lacks a non-empty
     *         string {@code model}, or has a non-boolean {@code stream}
     */
    public static ResponsesRequest parse(byte[] body) {
        if (body == null || isBlank(body)) {
            throw new InvalidRequestException(NOT_JSON);
        }
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IOException e) {
            throw new InvalidRequestException(NOT_JSON);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("Invalid type for request body: expected an object, but got "
                    + typeName(root) + " instead.");
        }
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) {
            throw new InvalidRequestException("Missing required parameter: 'model'.");
        }
        if (!model.isTextual()) {
            throw new InvalidRequestException("Invalid type for 'model': expected a string, but got "
                    + typeName(model) + " instead.");
        }
        if (model.textValue().isEmpty()) {
            throw new InvalidRequestException("Invalid 'model': empty string. Expected a string with minimum length"
                    + " 1, but got an empty string instead.");
        }
        JsonNode stream = root.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw new InvalidRequestException("Invalid type for 'stream': expected a boolean, but got "
                    + typeName(stream) + " instead.");
        }
        JsonNode max = root.get("max_output_tokens");
        long maxOutput = max != null && max.isIntegralNumber() && max.canConvertToLong() ? max.longValue() : -1;
        return new ResponsesRequest(root, model.textValue(), stream != null && stream.booleanValue(), maxOutput);
    }

    /** The requested model, never empty. */
    public String model() {
        return model;
    }

    /** Whether the client asked for an SSE stream ({@code stream: true}). */
    public boolean stream() {
        return stream;
    }

    /** {@code max_output_tokens}, or -1 when absent or not an integer. */
    public long maxOutputTokens() {
        return maxOutputTokens;
    }

    /** The parsed root object (shared, not copied). */
    public JsonNode json() {
        return json;
    }

    /** OpenAI's words for a JSON value's type in its "Invalid type" messages. */
    static String typeName(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isIntegralNumber()) {
            return "an integer";
        }
        return n.isNumber() ? "a decimal" : "an unknown type";
    }

    static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
