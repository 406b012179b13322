package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of an OpenAI-style error, wherever it sits: a whole error body
 * {@code {"error":{"message","type","param","code"}}}, an in-stream {@code error} event (also the WebSocket
 * form {@code {"type":"error","status":429,"error":{…},"headers":{…}}}), the Responses API's own
 * {@code {"type":"error","code","message"}} event, or a {@code response.failed} event's
 * {@code response.error}. ChatGPT (Codex) errors add {@code plan_type}, {@code resets_at} (unix seconds)
 * and {@code resets_in_seconds}. Missing strings are null, missing numbers -1. Shared by
 * {@link CodexAnswers} and {@link OpenAiAnswers}.
 */
public record OpenAiErrorBody(String type, String code, String message, String planType, long resetsAtSeconds,
        long resetsInSeconds) {

    private static final String[] DISABLED_TEXT = {"deactivated", "disabled", "suspended", "banned"};

    /** No error fields at all (not JSON, or no error object). */
    public static final OpenAiErrorBody EMPTY = new OpenAiErrorBody(null, null, null, null, -1, -1);

    /**
     * Reads {@code body}; never throws. When the body is not JSON, {@code message} is its text cut to 300
     * characters (an HTML error page, a proxy's plain text).
     */
    public static OpenAiErrorBody parse(byte[] body) {
        if (body == null || body.length == 0) {
            return EMPTY;
        }
        JsonNode root = Json.tryParse(body).orElse(null);
        if (root == null) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return new OpenAiErrorBody(null, null, text.length() > 300 ? text.substring(0, 300) : text, null, -1,
                    -1);
        }
        return of(root);
    }

    /** Reads an already parsed body or event. */
    public static OpenAiErrorBody of(JsonNode root) {
        if (root == null || !root.isObject()) {
            return EMPTY;
        }
        JsonNode error = root.get("error");
        if (error == null || error.isNull()) {
            JsonNode response = root.get("response");
            if ("response.failed".equals(Json.text(root, "type")) && response != null) {
                error = response.get("error");
            } else if ("error".equals(Json.text(root, "type"))) {
                error = root;
            }
        }
        if (error != null && error.isTextual()) {
            return new OpenAiErrorBody(null, error.textValue(), error.textValue(), null, -1, -1);
        }
        if (error == null || !error.isObject()) {
            return EMPTY;
        }
        String type = Json.text(error, "type");
        if (error == root && "error".equals(type)) {
            type = null;
        }
        return new OpenAiErrorBody(type, Json.text(error, "code"), Json.text(error, "message"),
                Json.text(error, "plan_type"), number(error.get("resets_at")), number(error.get("resets_in_seconds")));
    }

    /** Whether {@code name} is this error's type or its code (Codex puts its names in either). */
    public boolean is(String name) {
        return name.equals(type) || name.equals(code);
    }

    /** The message, or "" when there is none. */
    public String messageOrEmpty() {
        return message == null ? "" : message;
    }

    /** Milliseconds of a "try again in …" hint in the message, or -1. */
    public long tryAgainInMillis() {
        return OpenAiDuration.tryAgainInMillis(message);
    }

    /**
     * When the limit ends per the body: {@code resets_at}, else now + {@code resets_in_seconds}, else 0.
     */
    public long resetAtMillis(long nowMillis) {
        if (resetsAtSeconds > 0) {
            return resetsAtSeconds * 1000;
        }
        if (resetsInSeconds >= 0) {
            return nowMillis + resetsInSeconds * 1000;
        }
        return 0;
    }

    private static long number(JsonNode n) {
        if (n == null) {
            return -1;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return (long) Double.parseDouble(n.textValue().strip());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** The message, else the type, else the code, else "": what an admin reads about the error. */
    public String summary() {
        if (message != null) {
            return message;
        }
        if (type != null) {
            return type;
        }
        return code != null ? code : "";
    }

    /** Whether upstream says it is overloaded: {@code server_is_overloaded}, {@code slow_down}. */
    public boolean isOverload() {
        return is("server_is_overloaded") || is("slow_down") || is("overloaded_error");
    }

    /** Whether the error says the account, workspace or organisation is deactivated, disabled or banned. */
    public boolean saysDisabled() {
        String text = (messageOrEmpty() + " " + (code == null ? "" : code) + " " + (type == null ? "" : type))
                .toLowerCase(Locale.ROOT);
        for (String needle : DISABLED_TEXT) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The HTTP status an in-stream error that carries none stands for: 429 for the rate and usage limits
     * and {@code insufficient_quota}, 503 for overload, 500 for server errors; 0 for anything else (about
     * the request, not the account).
     */
    public int inferredStatus() {
        if (is("usage_limit_reached") || is("usage_not_included") || is("rate_limit_exceeded")
                || is("rate_limit_error") || is("insufficient_quota")) {
            return 429;
        }
        if (isOverload()) {
            return 503;
        }
        if (is("server_error") || is("internal_error") || is("api_error")) {
            return 500;
        }
        return 0;
    }

    /**
     * The {@code headers} object of a WebSocket error event as a lower-case name → value map (a list value
     * gives its first element); empty when absent.
     */
    public static Map<String, String> eventHeaders(JsonNode event) {
        JsonNode headers = event == null ? null : event.get("headers");
        if (headers == null || !headers.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            JsonNode v = h.getValue().isArray() ? h.getValue().path(0) : h.getValue();
            if (v.isValueNode() && !v.isNull()) {
                out.put(h.getKey().toLowerCase(Locale.ROOT), v.asText());
            }
        }
        return out;
    }

    /** The HTTP status a WebSocket error event carries ({@code status}, or {@code status_code}), else 0. */
    public static int eventStatus(JsonNode event) {
        for (String field : new String[] {"status", "status_code"}) {
            JsonNode n = event == null ? null : event.get(field);
            if (n != null && n.isIntegralNumber() && n.canConvertToInt() && n.intValue() > 0) {
                return n.intValue();
            }
        }
        return 0;
    }
}
