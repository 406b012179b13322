package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;

/** Error bodies in the Gemini API's shape: {@code {"error":{"code","message","status"}}}. */
public final class GeminiErrors {

    private GeminiErrors() {
    }

    /** The JSON error body, UTF-8, with the google.rpc status name matching {@code httpStatus}. */
    public static byte[] body(int httpStatus, String message) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", httpStatus);
        error.put("message", message);
        error.put("status", statusFor(httpStatus));
        return Json.write(root);
    }

    /** The google.rpc status name for an HTTP status: other 4xx are INVALID_ARGUMENT, anything else INTERNAL. */
    public static String statusFor(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503, 529 -> "UNAVAILABLE";
            case 408, 504 -> "DEADLINE_EXCEEDED";
            default -> httpStatus >= 400 && httpStatus < 500 ? "INVALID_ARGUMENT" : "INTERNAL";
        };
    }
}
