package dev.relaycluster.protocol.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiErrorsTest {

    @Test
    void bodyWithCode() {
        assertEquals("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"invalid_api_key\"}}",
                utf8(OpenAiErrors.body("invalid_request_error", "Incorrect API key provided", "invalid_api_key")));
    }

    @Test
    void bodyWithoutCodeEscapesTheMessage() {
        assertEquals("{\"error\":{\"message\":\"say \\\"hi\\\"\\r\\n\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
                utf8(OpenAiErrors.body("server_error", "say \"hi\"\r\n", null)));
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
