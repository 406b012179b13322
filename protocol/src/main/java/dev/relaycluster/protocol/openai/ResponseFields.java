package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;

/**
 * What a Responses stream event's {@code response} object says that the usage tap keeps, read with a streaming
 * parser instead of a tree (the response's output, instructions and tools are tokenised, not built), with the
 * tree's rules: a field given twice counts with its last value, one of the wrong kind as absent.
 *
 * @param model     {@code response.model} when it is a string, else null
 * @param usage     the {@link ResponsesUsage} of {@code response.usage} when it is an object, else null
 * @param errorCode {@code response.error.code} when it is a string, else null
 */
record ResponseFields(String model, TokenUsage usage, String errorCode) {

    private static final ResponseFields NONE = new ResponseFields(null, null, null);

    /**
     * The {@code response} of the event {@code r} reads (all null when the event has no response object); null
     * when the event is no JSON. An event without any value (blank) is JSON, as a tree read takes it.
     */
    static ResponseFields read(JsonTokens r) throws IOException {
        ResponseFields found = NONE;
        JsonToken t = r.next();
        if (t == JsonToken.START_OBJECT) {
            while (r.next() == JsonToken.FIELD_NAME) {
                String name = r.name();
                JsonToken value = r.next();
                if ("response".equals(name) && value == JsonToken.START_OBJECT) {
                    found = response(r);
                } else {
                    if ("response".equals(name)) {
                        found = NONE;
                    }
                    r.skip(value);
                }
            }
        } else if (t != null) {
            r.skip(t);
        }
        return r.ended() ? found : null;
    }

    private static ResponseFields response(JsonTokens r) throws IOException {
        String model = null;
        TokenUsage usage = null;
        String errorCode = null;
        while (r.next() == JsonToken.FIELD_NAME) {
            String name = r.name();
            JsonToken value = r.next();
            switch (name) {
                case "model" -> model = r.text(value);
                case "usage" -> {
                    if (value == JsonToken.START_OBJECT) {
                        usage = ResponsesUsage.read(r);
                    } else {
                        usage = null;
                        r.skip(value);
                    }
                }
                case "error" -> errorCode = r.text(value, "code");
                default -> r.skip(value);
            }
        }
        return new ResponseFields(model, usage, errorCode);
    }
}
