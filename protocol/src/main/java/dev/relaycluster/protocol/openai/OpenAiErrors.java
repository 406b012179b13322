package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;

/** Error bodies in the OpenAI API's shape: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    /** The JSON error body, UTF-8; {@code param} is always null and {@code code} is null when not given. */
    public static byte[] body(String type, String message, String code) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.put("code", code);
        return Json.write(root);
    }
}
