package dev.relaycluster.protocol.anthropic;

import com.fasterxml.jackson.core.JsonToken;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;

/**
 * What the data of an Anthropic stream's {@code message_start}, {@code message_delta} and {@code error} events
 * says, read with a streaming parser ({@link JsonTokens}) instead of a tree: the rest of the event (a
 * message_start's content, any field the tap does not use) is tokenised, not built. The answers are those of the
 * tree the tap once read ({@code Json.tryParse} then {@code Json.text} / {@code Json.count}): a field given twice
 * counts with its last value, a field of the wrong kind counts as absent, and data that is not one JSON value
 * (malformed, trailing tokens) gives null. Empty or blank data is a JSON document without a value, as in a tree.
 */
final class EventFields {

    /** A message_start's {@code message}: its {@code model} (null when no string) and {@code usage}. */
    record Start(String model, UsageFields usage) {}

    /** A message_delta's {@code delta.stop_reason} (null when none) and {@code usage} (null when none). */
    record Delta(String stopReason, UsageFields usage) {}

    /** An error event's {@code error.type} and {@code error.message}, each null when not a string. */
    record Failure(String type, String message) {}

    private EventFields() {
    }

    /** The message of a message_start; null when the data is not JSON or has no {@code message} object. */
    static Start start(JsonTokens r) throws IOException {
        Start found = null;
        JsonToken t = r.next();
        if (t == JsonToken.START_OBJECT) {
            while (r.next() == JsonToken.FIELD_NAME) {
                String name = r.name();
                JsonToken value = r.next();
                if ("message".equals(name)) {
                    found = value == JsonToken.START_OBJECT ? message(r) : skipped(r, value);
                } else {
                    r.skip(value);
                }
            }
        } else if (t != null) {
            r.skip(t);
        }
        return r.ended() ? found : null;
    }

    /** What a message_delta says; null when the data is not JSON. */
    static Delta delta(JsonTokens r) throws IOException {
        String stopReason = null;
        UsageFields usage = null;
        JsonToken t = r.next();
        if (t == JsonToken.START_OBJECT) {
            while (r.next() == JsonToken.FIELD_NAME) {
                String name = r.name();
                JsonToken value = r.next();
                if ("delta".equals(name)) {
                    stopReason = r.text(value, "stop_reason");
                } else if ("usage".equals(name)) {
                    usage = value == JsonToken.START_OBJECT ? UsageFields.read(r) : skipped(r, value);
                } else {
                    r.skip(value);
                }
            }
        } else if (t != null) {
            r.skip(t);
        }
        return r.ended() ? new Delta(stopReason, usage) : null;
    }

    /** What an error event says; null when the data is not JSON. */
    static Failure error(JsonTokens r) throws IOException {
        String type = null;
        String message = null;
        JsonToken t = r.next();
        if (t == JsonToken.START_OBJECT) {
            while (r.next() == JsonToken.FIELD_NAME) {
                String name = r.name();
                JsonToken value = r.next();
                if ("error".equals(name) && value == JsonToken.START_OBJECT) {
                    type = null;
                    message = null;
                    while (r.next() == JsonToken.FIELD_NAME) {
                        String field = r.name();
                        JsonToken v = r.next();
                        if ("type".equals(field)) {
                            type = r.text(v);
                        } else if ("message".equals(field)) {
                            message = r.text(v);
                        } else {
                            r.skip(v);
                        }
                    }
                } else {
                    if ("error".equals(name)) {
                        type = null;
                        message = null;
                    }
                    r.skip(value);
                }
            }
        } else if (t != null) {
            r.skip(t);
        }
        return r.ended() ? new Failure(type, message) : null;
    }

    /** The message object whose START_OBJECT was just read: its model and usage. */
    private static Start message(JsonTokens r) throws IOException {
        String model = null;
        UsageFields usage = null;
        while (r.next() == JsonToken.FIELD_NAME) {
            String name = r.name();
            JsonToken value = r.next();
            if ("model".equals(name)) {
                model = r.text(value);
            } else if ("usage".equals(name)) {
                usage = value == JsonToken.START_OBJECT ? UsageFields.read(r) : skipped(r, value);
            } else {
                r.skip(value);
            }
        }
        return new Start(model, usage);
    }

    /** Skips a value of the wrong kind: the field counts as absent. */
    private static <T> T skipped(JsonTokens r, JsonToken value) throws IOException {
        r.skip(value);
        return null;
    }
}
