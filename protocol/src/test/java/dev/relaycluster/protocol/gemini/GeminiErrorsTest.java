package dev.relaycluster.protocol.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiErrorsTest {

    @Test
    void bodyIsExactJson() {
        assertEquals("{\"error\":{\"code\":429,\"message\":\"Quota \\\"x\\\"\\nexceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}",
                new String(GeminiErrors.body(429, "Quota \"x\"\nexceeded"), StandardCharsets.UTF_8));
    }

    @Test
    void statusNames() {
        assertEquals("INVALID_ARGUMENT", GeminiErrors.statusFor(400));
        assertEquals("UNAUTHENTICATED", GeminiErrors.statusFor(401));
        assertEquals("PERMISSION_DENIED", GeminiErrors.statusFor(403));
        assertEquals("NOT_FOUND", GeminiErrors.statusFor(404));
        assertEquals("DEADLINE_EXCEEDED", GeminiErrors.statusFor(408));
        assertEquals("RESOURCE_EXHAUSTED", GeminiErrors.statusFor(429));
        assertEquals("INTERNAL", GeminiErrors.statusFor(500));
        assertEquals("INTERNAL", GeminiErrors.statusFor(502));
        assertEquals("UNAVAILABLE", GeminiErrors.statusFor(503));
        assertEquals("UNAVAILABLE", GeminiErrors.statusFor(529));
        assertEquals("DEADLINE_EXCEEDED", GeminiErrors.statusFor(504));
        assertEquals("INVALID_ARGUMENT", GeminiErrors.statusFor(413));
    }
}
