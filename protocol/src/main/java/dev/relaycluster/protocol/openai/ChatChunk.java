package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;

/**
 * What one Chat Completions stream chunk says that the usage tap keeps, read with a streaming parser instead of a
 * tree (choices and everything else are tokenised, not built), with the tree's rules: a field given twice counts
 * with its last value, one of the wrong kind as absent.
 *
 * @param error whether the chunk has an {@code error} that is not null (the tap then reads the error's fields from
 *              the chunk's tree: errors are rare)
 * @param model {@code model} when it is a string, else null
 * @param usage the {@link ChatUsage} of {@code usage} when it is an object, else null
 */
record ChatChunk(boolean error, String model, TokenUsage usage) {

    /** The chunk {@code r} reads; null when it is not a JSON object (also when it is no JSON at all). */
    static ChatChunk read(JsonTokens r) throws IOException {
        if (r.next() != JsonToken.START_OBJECT) {
            return null;
        }
        boolean error = false;
        String model = null;
        TokenUsage usage = null;
        while (r.next() == JsonToken.FIELD_NAME) {
            String name = r.name();
            JsonToken value = r.next();
            switch (name) {
                case "error" -> {
                    error = value != JsonToken.VALUE_NULL;
                    r.skip(value);
                }
                case "model" -> model = r.text(value);
                case "usage" -> {
                    if (value == JsonToken.START_OBJECT) {
                        usage = ChatUsage.read(r);
                    } else {
                        usage = null;
                        r.skip(value);
                    }
                }
                default -> r.skip(value);
            }
        }
        return r.ended() ? new ChatChunk(error, model, usage) : null;
    }
}
