package dev.relaycluster.protocol.util;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the few top-level fields routing needs ({@code model}, {@code stream}, a token limit) from a JSON
 * request body with a streaming parser, without building a tree of the rest: nested values are tokenised
 * (so the whole body is still checked to be well-formed JSON) but not kept. Only the well-formed,
 * unsurprising case is answered: anything else (not an object, trailing tokens, a field of the wrong kind)
 * is {@code null}, and the caller parses the body the full way, which produces the client's error message.
 * Duplicate fields: the last one counts, as in a tree.
 */
public final class JsonSkim {

    /**
     * The fields read: {@code model} (a non-empty string), {@code stream} (absent = false), and the named
     * token limit (-1 when absent or not an integer that fits a long).
     */
    public record Fields(String model, boolean stream, long maxTokens) {}

    private JsonSkim() {
    }

    /**
     * @param maxTokensField the name of the request's output token limit ({@code max_tokens},
     *        {@code max_output_tokens})
     * @param nullStreamIsFalse whether {@code "stream": null} means "not streamed" (OpenAI) rather than an
     *        error the full parse reports (Anthropic)
     * @return the fields, or null when the body needs the full parse (an error to report, or anything odd)
     */
    public static Fields read(byte[] body, String maxTokensField, boolean nullStreamIsFalse) {
        if (body == null || body.length == 0) {
            return null;
        }
        try (JsonParser p = Json.mapper().getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String model = null;
            boolean stream = false;
            long maxTokens = -1;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("model".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    model = p.getText();
                } else if ("stream".equals(name)) {
                    if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                        stream = value == JsonToken.VALUE_TRUE;
                    } else if (value == JsonToken.VALUE_NULL && nullStreamIsFalse) {
                        stream = false;
                    } else {
                        return null;
                    }
                } else if (maxTokensField.equals(name)) {
                    maxTokens = value == JsonToken.VALUE_NUMBER_INT
                            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? p.getLongValue() : -1;
                    p.skipChildren();
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null || model == null || model.isEmpty()) {
                return null;
            }
            return new Fields(model, stream, maxTokens);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
