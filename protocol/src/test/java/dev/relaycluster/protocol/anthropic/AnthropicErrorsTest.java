package dev.relaycluster.protocol.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {

    @Test
    void bodyIsExactJson() {
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                utf8(AnthropicErrors.body("overloaded_error", "Overloaded")));
    }

    @Test
    void bodyEscapesQuotesNewlinesAndControls() {
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                        + "\"message\":\"bad \\\"model\\\"\\nline 2\\\\ \\u0001 \u00e9\"}}",
                utf8(AnthropicErrors.body("invalid_request_error", "bad \"model\"\nline 2\\ \u0001 \u00e9")));
    }

    @Test
    void sseEventWrapsTheBody() {
        assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"a\\nb\"}}\n\n",
                utf8(AnthropicErrors.sseEvent("api_error", "a\nb")));
    }

    @Test
    void typeForStatus() {
        assertEquals("invalid_request_error", AnthropicErrors.typeForStatus(400));
        assertEquals("authentication_error", AnthropicErrors.typeForStatus(401));
        assertEquals("billing_error", AnthropicErrors.typeForStatus(402));
        assertEquals("permission_error", AnthropicErrors.typeForStatus(403));
        assertEquals("not_found_error", AnthropicErrors.typeForStatus(404));
        assertEquals("timeout_error", AnthropicErrors.typeForStatus(408));
        assertEquals("request_too_large", AnthropicErrors.typeForStatus(413));
        assertEquals("rate_limit_error", AnthropicErrors.typeForStatus(429));
        assertEquals("overloaded_error", AnthropicErrors.typeForStatus(503));
        assertEquals("overloaded_error", AnthropicErrors.typeForStatus(529));
        assertEquals("timeout_error", AnthropicErrors.typeForStatus(504));
        assertEquals("api_error", AnthropicErrors.typeForStatus(500));
        assertEquals("api_error", AnthropicErrors.typeForStatus(502));
        assertEquals("invalid_request_error", AnthropicErrors.typeForStatus(409));
        assertEquals("invalid_request_error", AnthropicErrors.typeForStatus(422));
        assertEquals("api_error", AnthropicErrors.typeForStatus(200));
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
