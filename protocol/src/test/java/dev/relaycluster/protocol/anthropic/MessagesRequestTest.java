package dev.relaycluster.protocol.anthropic;

import dev.relaycluster.protocol.dialect.InvalidRequestException;
import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessagesRequestTest {

    @Test
    void validStreamingBody() {
        MessagesRequest r = MessagesRequest.parse(utf8("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertEquals("claude-sonnet-4-5", r.model());
        assertTrue(r.stream());
        assertEquals(32000, r.maxTokens());
        assertEquals("hi", r.json().path("messages").path(0).path("content").textValue());
    }

    @Test
    void defaultsWhenStreamAndMaxTokensAreAbsent() {
        MessagesRequest r = MessagesRequest.parse(utf8("{\"model\":\"m\"}"));
        assertFalse(r.stream());
        assertEquals(-1, r.maxTokens());
    }

    @Test
    void emptyBody() {
        assertMessage("request body is empty", new byte[0]);
        assertMessage("request body is empty", utf8(" \r\n\t"));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> MessagesRequest.parse(null));
        assertEquals("request body is empty", e.getMessage());
    }

    @Test
    void invalidJsonGivesAShortReason() {
        for (String body : new String[] {"{\"model\":", "model=x", "{\"model\":\"m\"} trailing"}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> MessagesRequest.parse(utf8(body)));
            assertTrue(e.getMessage().matches("request body is not valid JSON \\(at line 1, column \\d+\\)"),
                    e.getMessage());
            // No parser internals: the trailing-garbage message of the parser names Jackson's classes.
            assertFalse(e.getMessage().contains("jackson") || e.getMessage().contains("JsonNode")
                    || e.getMessage().contains("Source") || e.getMessage().contains("token"), e.getMessage());
        }
    }

    @Test
    void nonObjectJson() {
        assertMessage("request body must be a JSON object", utf8("[{\"model\":\"m\"}]"));
        assertMessage("request body must be a JSON object", utf8("\"m\""));
        assertMessage("request body must be a JSON object", utf8("null"));
    }

    @Test
    void modelMissingOrNotANonEmptyString() {
        assertMessage("model: Field required", utf8("{\"max_tokens\":5}"));
        assertMessage("model: Field required", utf8("{\"model\":\"\"}"));
        assertMessage("model: Field required", utf8("{\"model\":7}"));
        assertMessage("model: Field required", utf8("{\"model\":null}"));
    }

    @Test
    void streamNotBoolean() {
        assertMessage("stream: Input should be a valid boolean", utf8("{\"model\":\"m\",\"stream\":\"yes\"}"));
        assertMessage("stream: Input should be a valid boolean", utf8("{\"model\":\"m\",\"stream\":1}"));
        assertMessage("stream: Input should be a valid boolean", utf8("{\"model\":\"m\",\"stream\":null}"));
    }

    private static void assertMessage(String expected, byte[] body) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> MessagesRequest.parse(body));
        assertEquals(expected, e.getMessage());
    }
}
