package dev.relaycluster.protocol.openai;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.util.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiErrorBodyTest {

    @Test
    void wholeBodyWithCodexResetFields() {
        OpenAiErrorBody e = OpenAiErrorBody.parse(utf8("{\"error\":{\"type\":\"usage_limit_reached\",\"message\":"
                + "\"The usage limit has been reached\",\"plan_type\":\"team\",\"resets_at\":1764699321,"
                + "\"resets_in_seconds\":\"9321\"}}"));
        assertEquals(new OpenAiErrorBody("usage_limit_reached", null, "The usage limit has been reached", "team",
                1764699321, 9321), e);
        assertTrue(e.is("usage_limit_reached"));
        assertEquals(1_764_699_321_000L, e.resetAtMillis(0));
        assertEquals(429, e.inferredStatus());
    }

    @Test
    void eventShapes() {
        assertEquals(new OpenAiErrorBody(null, "server_is_overloaded", "busy", null, -1, -1),
                OpenAiErrorBody.parse(utf8("{\"type\":\"response.failed\",\"response\":{\"error\":{\"code\":"
                        + "\"server_is_overloaded\",\"message\":\"busy\"}}}")));
        assertEquals(new OpenAiErrorBody(null, "ERR_SOMETHING", "Something went wrong", null, -1, -1),
                OpenAiErrorBody.parse(utf8("{\"type\":\"error\",\"code\":\"ERR_SOMETHING\",\"message\":"
                        + "\"Something went wrong\",\"param\":null,\"sequence_number\":1}")));
        assertEquals(new OpenAiErrorBody(null, "invalid_grant", "invalid_grant", null, -1, -1),
                OpenAiErrorBody.parse(utf8("{\"error\":\"invalid_grant\",\"error_description\":\"bad\"}")));
    }

    @Test
    void notJsonKeepsTheTextCut() {
        OpenAiErrorBody e = OpenAiErrorBody.parse(utf8("upstream connect error " + "x".repeat(400)));
        assertEquals(300, e.message().length());
        assertEquals(OpenAiErrorBody.EMPTY, OpenAiErrorBody.parse(null));
        assertEquals("", OpenAiErrorBody.EMPTY.summary());
        assertEquals(0, OpenAiErrorBody.EMPTY.resetAtMillis(5));
    }

    @Test
    void predicates() {
        assertTrue(OpenAiErrorBody.parse(utf8("{\"error\":{\"code\":\"slow_down\"}}")).isOverload());
        assertTrue(OpenAiErrorBody.parse(utf8("{\"error\":{\"message\":\"Your account has been deactivated.\"}}"))
                .saysDisabled());
        assertFalse(OpenAiErrorBody.parse(utf8("{\"error\":{\"message\":\"You do not have access\"}}")).saysDisabled());
        assertEquals(0, OpenAiErrorBody.parse(utf8("{\"error\":{\"code\":\"context_length_exceeded\"}}")).inferredStatus());
        assertEquals(500, OpenAiErrorBody.parse(utf8("{\"error\":{\"code\":\"server_error\"}}")).inferredStatus());
    }

    @Test
    void eventHeadersAreLowerCasedAndFlattened() {
        assertEquals(Map.of("x-codex-primary-used-percent", "100", "retry-after", "30"),
                OpenAiErrorBody.eventHeaders(Json.tryParse("{\"type\":\"error\",\"headers\":"
                        + "{\"X-Codex-Primary-Used-Percent\":[\"100\"],\"Retry-After\":30,\"x-null\":null}}").orElseThrow()));
        assertEquals(Map.of(), OpenAiErrorBody.eventHeaders(null));
        assertEquals(429, OpenAiErrorBody.eventStatus(Json.tryParse("{\"status_code\":429}").orElseThrow()));
        assertEquals(0, OpenAiErrorBody.eventStatus(Json.tryParse("{\"status\":\"429\"}").orElseThrow()));
    }
}
