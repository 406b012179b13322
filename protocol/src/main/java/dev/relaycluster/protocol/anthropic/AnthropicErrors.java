package dev.relaycluster.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;

/** Error bodies in the Anthropic API's shape: {@code {"type":"error","error":{"type":..,"message":..}}}. */
public final class AnthropicErrors {

    private AnthropicErrors() {
    }

    /** The JSON error body, UTF-8. */
    public static byte[] body(String type, String message) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return Json.write(root);
    }

    /** The error as one SSE event: {@code event: error\ndata: <body>\n\n}, UTF-8. */
    public static byte[] sseEvent(String type, String message) {
        return ("event: error\ndata: " + new String(body(type, message), StandardCharsets.UTF_8) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The Anthropic error type for an HTTP status; statuses below 400 count as api_error. */
    public static String typeForStatus(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408, 504 -> "timeout_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }
}
