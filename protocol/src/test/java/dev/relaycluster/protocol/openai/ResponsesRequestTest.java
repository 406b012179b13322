package dev.relaycluster.protocol.openai;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.dialect.InvalidRequestException;
import org.junit.jupiter.api.Test;

class ResponsesRequestTest {

    @Test
    void codexBodyIsRead() {
        ResponsesRequest r = ResponsesRequest.parse(utf8("{\"model\":\"gpt-5.1-codex\",\"instructions\":\"You are Codex\","
                + "\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}],"
                + "\"tools\":[],\"tool_choice\":\"auto\",\"parallel_tool_calls\":false,\"reasoning\":{\"effort\":\"medium\"},"
                + "\"store\":false,\"stream\":true,\"include\":[\"reasoning.encrypted_content\"],\"max_output_tokens\":4096,"
                + "\"prompt_cache_key\":\"0199a1b2-c3d4\"}"));
        assertEquals("gpt-5.1-codex", r.model());
        assertTrue(r.stream());
        assertEquals(4096, r.maxOutputTokens());
        assertEquals("0199a1b2-c3d4", r.json().path("prompt_cache_key").textValue());
    }

    @Test
    void absentStreamAndMaxOutputTokens() {
        ResponsesRequest r = ResponsesRequest.parse(utf8("{\"model\":\"gpt-5\",\"input\":\"hi\",\"stream\":null,"
                + "\"max_output_tokens\":12.5}"));
        assertFalse(r.stream());
        assertEquals(-1, r.maxOutputTokens());
    }

    @Test
    void rejectionsUseOpenAiWording() {
        assertEquals(ResponsesRequest.NOT_JSON, message(""));
        assertEquals(ResponsesRequest.NOT_JSON, message("{\"model\":"));
        assertEquals("Invalid type for request body: expected an object, but got an array instead.", message("[1]"));
        assertEquals("Missing required parameter: 'model'.", message("{\"input\":\"hi\"}"));
        assertEquals("Invalid type for 'model': expected a string, but got an integer instead.",
                message("{\"model\":5}"));
        assertEquals("Invalid 'model': empty string. Expected a string with minimum length 1, but got an empty string"
                + " instead.", message("{\"model\":\"\"}"));
        assertEquals("Invalid type for 'stream': expected a boolean, but got a string instead.",
                message("{\"model\":\"gpt-5\",\"stream\":\"true\"}"));
    }

    private static String message(String body) {
        return assertThrows(InvalidRequestException.class, () -> ResponsesRequest.parse(utf8(body))).getMessage();
    }
}
