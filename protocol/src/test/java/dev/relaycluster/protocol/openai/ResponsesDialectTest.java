package dev.relaycluster.protocol.openai;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.session.SessionKey;
import dev.relaycluster.protocol.session.SessionKeySource;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponsesDialectTest {

    private final ResponsesDialect dialect = new ResponsesDialect();

    @Test
    void readsAStreamedResponsesRequestWithTheCodexSessionHeader() {
        RequestView v = dialect.read("responses", utf8("{\"model\":\"gpt-5.1-codex\",\"stream\":true,"
                + "\"max_output_tokens\":2000,\"input\":\"hi\"}"), Map.of("session_id", "0199-abc")::get, "key-1");
        assertEquals("gpt-5.1-codex", v.model());
        assertTrue(v.stream());
        assertEquals(2000, v.maxTokens());
        assertTrue(v.generates());
        assertEquals(new SessionKey("0199-abc", SessionKeySource.CODEX_HEADER), v.sessionKey().orElseThrow());
        assertEquals(DialectId.OPENAI_RESPONSES, dialect.id());
    }

    @Test
    void compactIsNeverStreamedAndTakesThePromptCacheKey() {
        RequestView v = dialect.read("compact", utf8("{\"model\":\"gpt-5.1-codex\",\"stream\":true,"
                + "\"prompt_cache_key\":\"thread-9\",\"input\":[]}"), h -> null, "key-1");
        assertFalse(v.stream());
        assertTrue(v.generates());
        assertEquals(new SessionKey("thread-9", SessionKeySource.CODEX_PROMPT_CACHE_KEY), v.sessionKey().orElseThrow());
    }

    @Test
    void invalidBodiesAndUnknownEndpoints() {
        assertEquals("Missing required parameter: 'model'.", assertThrows(InvalidRequestException.class,
                () -> dialect.read("responses", utf8("{}"), h -> null, "k")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> dialect.read("messages", utf8("{\"model\":\"x\"}"),
                h -> null, "k"));
    }

    @Test
    void newTapIsAResponsesTap() {
        assertInstanceOf(ResponsesUsageTap.class, dialect.newTap());
        var tap = dialect.newTap();
        tap.feed(ByteBuffer.wrap(utf8(ResponsesUsageTapTest.STREAM)));
        assertEquals(new TokenUsage(1320, 412, 11520, 0, 0), tap.usage());
    }

    @Test
    void wholeUsageOfAResponseAndOfACompactAnswer() {
        assertEquals(new MessageUsage("gpt-5-2025-08-07", new TokenUsage(30, 120, 70, 0, 0)),
                dialect.wholeUsage("responses", utf8("{\"id\":\"resp_1\",\"object\":\"response\",\"model\":"
                        + "\"gpt-5-2025-08-07\",\"output\":[],\"usage\":{\"input_tokens\":100,\"input_tokens_details\":"
                        + "{\"cached_tokens\":70},\"output_tokens\":120,\"output_tokens_details\":{\"reasoning_tokens\":64}}}")));
        assertEquals(new MessageUsage(null, new TokenUsage(5000, 800, 0, 0, 0)),
                dialect.wholeUsage("compact", utf8("{\"output\":[{\"type\":\"compaction\",\"encrypted_content\":\"x\"}],"
                        + "\"usage\":{\"input_tokens\":5000,\"output_tokens\":800}}")));
        assertEquals(new MessageUsage(null, TokenUsage.ZERO), dialect.wholeUsage("responses", utf8("<html>")));
    }

    @Test
    void errorTypesAndBodies() {
        assertEquals("invalid_request_error", dialect.errorType(ErrorKind.INVALID_REQUEST));
        assertEquals("invalid_request_error", dialect.errorType(ErrorKind.AUTHENTICATION));
        assertEquals("permission_error", dialect.errorType(ErrorKind.PERMISSION));
        assertEquals("rate_limit_error", dialect.errorType(ErrorKind.RATE_LIMITED));
        assertEquals("insufficient_quota", dialect.errorType(ErrorKind.BILLING));
        assertEquals("server_error", dialect.errorType(ErrorKind.OVERLOADED));
        assertEquals("timeout", dialect.errorType(ErrorKind.TIMEOUT));
        assertEquals("{\"error\":{\"message\":\"Incorrect API key provided: cr_****1234.\",\"type\":"
                + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}",
                utf8s(dialect.errorBody(ErrorKind.AUTHENTICATION, "Incorrect API key provided: cr_****1234.")));
        assertEquals("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,"
                + "\"code\":\"rate_limit_exceeded\"}}", utf8s(dialect.errorBody(ErrorKind.RATE_LIMITED, "slow down")));
        assertEquals("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
                utf8s(dialect.errorBody(ErrorKind.API_ERROR, "boom")));
    }

    @Test
    void streamErrorIsAResponseFailedEventCodexUnderstands() {
        assertEquals("event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"object\":\"response\","
                + "\"status\":\"failed\",\"error\":{\"code\":\"server_is_overloaded\",\"message\":\"upstream overloaded\"},"
                + "\"incomplete_details\":null,\"output\":[],\"usage\":null}}\n\n",
                utf8s(dialect.streamErrorEvent(ErrorKind.OVERLOADED, "upstream overloaded")));
        assertTrue(utf8s(dialect.streamErrorEvent(ErrorKind.INVALID_REQUEST, "bad"))
                .contains("\"error\":{\"code\":\"invalid_prompt\",\"message\":\"bad\"}"));
        assertTrue(utf8s(dialect.streamErrorEvent(ErrorKind.BAD_GATEWAY, "cut"))
                .contains("\"error\":{\"code\":\"server_error\",\"message\":\"cut\"}"));
    }

    @Test
    void theOwnTapReadsTheOwnStreamErrorEvent() {
        var tap = dialect.newTap();
        tap.feed(ByteBuffer.wrap(dialect.streamErrorEvent(ErrorKind.RATE_LIMITED, "try again in 2s")));
        assertEquals("rate_limit_exceeded", tap.errorType());
        assertTrue(tap.atEventBoundary());
    }

    private static String utf8s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
