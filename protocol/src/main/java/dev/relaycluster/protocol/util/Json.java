package dev.relaycluster.protocol.util;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Optional;

/** The module's shared Jackson configuration and small, null-tolerant JSON helpers. */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** The shared, fully configured mapper (strict about trailing tokens); do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses {@code json}; the exception carries Jackson's reason for invalid input. */
    public static JsonNode parse(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    /** Parses {@code json}, or returns empty when it is not valid JSON. */
    public static Optional<JsonNode> tryParse(byte[] json) {
        try {
            return Optional.ofNullable(MAPPER.readTree(json));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Parses {@code json}, or returns empty when it is not valid JSON. */
    public static Optional<JsonNode> tryParse(String json) {
        try {
            return Optional.ofNullable(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Serializes {@code node} as compact UTF-8 JSON. */
    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * The string value of the top-level {@code "type"} field of a JSON object, reading only as far as
     * that field (nested values before it are skipped, not built); null when absent or not JSON.
     */
    public static String topLevelType(String json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            return topLevelType(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** As {@link #topLevelType(String)}, from UTF-8 bytes; null for null. */
    public static String topLevelType(byte[] json) {
        if (json == null) {
            return null;
        }
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            return topLevelType(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** As {@link #topLevelType(byte[])}, from {@code length} UTF-8 bytes of {@code json} from {@code offset}. */
    public static String topLevelType(byte[] json, int offset, int length) {
        try (JsonParser p = MAPPER.getFactory().createParser(json, offset, length)) {
            return topLevelType(p);
        } catch (IOException e) {
            return null;
        }
    }

    private static String topLevelType(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("type".equals(name)) {
                return value == JsonToken.VALUE_STRING ? p.getText() : null;
            }
            p.skipChildren();
        }
        return null;
    }

    /** {@code node.field} when it is a string, else null (also when {@code node} is null). */
    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** {@code node.field} when it is a non-negative integer that fits a long, else 0. */
    public static long count(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isIntegralNumber() && v.canConvertToLong() ? Math.max(0, v.longValue()) : 0;
    }
}
