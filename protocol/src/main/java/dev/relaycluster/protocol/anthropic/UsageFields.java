package dev.relaycluster.protocol.anthropic;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;

/**
 * The counts of one Anthropic {@code usage} object, read from a tree ({@link #of}) or with a streaming parser
 * ({@link #read}) by the same rules: a count is a non-negative integer that fits a long, else 0; a field given
 * twice counts with its last value; other fields (such as {@code server_tool_use}) are not kept.
 *
 * @param output      {@code output_tokens}
 * @param outputGiven whether {@code output_tokens} is there and not null (a message_delta's then replaces the
 *                    start's)
 * @param split       whether {@code cache_creation} is an object: the breakdown of cache writes into
 *                    {@code ephemeral_5m_input_tokens} ({@code split5m}) and {@code ephemeral_1h_input_tokens}
 *                    ({@code split1h})
 */
record UsageFields(long input, long cacheRead, long cacheCreation, long output, boolean outputGiven, boolean split,
        long split5m, long split1h) {

    /** The counts of a usage tree; null when it is not an object. */
    static UsageFields of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        JsonNode creation = usage.get("cache_creation");
        boolean split = creation != null && creation.isObject();
        return new UsageFields(
                Json.count(usage, "input_tokens"),
                Json.count(usage, "cache_read_input_tokens"),
                Json.count(usage, "cache_creation_input_tokens"),
                Json.count(usage, "output_tokens"),
                usage.hasNonNull("output_tokens"),
                split,
                split ? Json.count(creation, "ephemeral_5m_input_tokens") : 0,
                split ? Json.count(creation, "ephemeral_1h_input_tokens") : 0);
    }

    /** The counts of the usage object whose {@code START_OBJECT} {@code r} just read, up to its end. */
    static UsageFields read(JsonTokens r) throws IOException {
        long input = 0;
        long cacheRead = 0;
        long cacheCreation = 0;
        long output = 0;
        boolean outputGiven = false;
        boolean split = false;
        long split5m = 0;
        long split1h = 0;
        while (r.next() == JsonToken.FIELD_NAME) {
            String name = r.name();
            JsonToken value = r.next();
            switch (name) {
                case "input_tokens" -> input = r.count(value);
                case "cache_read_input_tokens" -> cacheRead = r.count(value);
                case "cache_creation_input_tokens" -> cacheCreation = r.count(value);
                case "output_tokens" -> {
                    outputGiven = value != JsonToken.VALUE_NULL;
                    output = r.count(value);
                }
                case "cache_creation" -> {
                    split = value == JsonToken.START_OBJECT;
                    split5m = 0;
                    split1h = 0;
                    if (!split) {
                        r.skip(value);
                    } else {
                        while (r.next() == JsonToken.FIELD_NAME) {
                            String lifetime = r.name();
                            JsonToken count = r.next();
                            if ("ephemeral_5m_input_tokens".equals(lifetime)) {
                                split5m = r.count(count);
                            } else if ("ephemeral_1h_input_tokens".equals(lifetime)) {
                                split1h = r.count(count);
                            } else {
                                r.skip(count);
                            }
                        }
                    }
                }
                default -> r.skip(value);
            }
        }
        return new UsageFields(input, cacheRead, cacheCreation, output, outputGiven, split, split5m, split1h);
    }
}
