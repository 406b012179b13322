package dev.relaycluster.protocol.openai;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import dev.relaycluster.protocol.util.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatDialectTest {

    private final ChatDialect dialect = ChatDialect.INSTANCE;

    private RequestView read(String body) {
        return dialect.read("chat/completions", utf8(body), h -> null, "key-1");
    }

    private String error(String body) {
        return assertThrows(InvalidRequestException.class, () -> read(body)).getMessage();
    }

    @Test
    void readsModelStreamAndMaxTokens() {
        RequestView v = read("{\"model\":\"gpt-4.1\",\"stream\":true,\"max_completion_tokens\":300,\"max_tokens\":9,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals("gpt-4.1", v.model());
        assertTrue(v.stream());
        assertEquals(300, v.maxTokens());
        assertTrue(v.generates());
        assertEquals(DialectId.OPENAI_CHAT, dialect.id());
        assertEquals("openai-chat", dialect.id().wireName());

        RequestView old = read("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":77,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}");
        assertFalse(old.stream());
        assertEquals(77, old.maxTokens());
        assertEquals(-1, read("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").maxTokens());
    }

    @Test
    void theSessionIsThePromptCacheKeyElseTheSaltedPrefix() {
        assertEquals(new SessionKey("conv-7", SessionKeySource.CHAT_PROMPT_CACHE_KEY), read("{\"model\":\"m\","
                + "\"prompt_cache_key\":\"conv-7\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .sessionKey().orElseThrow());
        String body = "{\"model\":\"m\",\"user\":\"alice\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Use tools.\"}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"first \"},{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://x/y.png\"}},{\"type\":\"text\",\"text\":\"question\"}]},"
                + "{\"role\":\"assistant\",\"content\":\"answer\"},{\"role\":\"user\",\"content\":\"second\"}]}";
        SessionKey key = read(body).sessionKey().orElseThrow();
        assertEquals(new SessionKey(Hashing.sha256Hex("key-1\nBe brief.Use tools.\nfirst question"),
                SessionKeySource.PREFIX_HASH), key);
        // A later turn of the same conversation has the same key; another API key has another.
        String later = body.replace("\"second\"}]}", "\"second\"},{\"role\":\"assistant\",\"content\":\"x\"}]}");
        assertEquals(key, read(later).sessionKey().orElseThrow());
        assertNotEquals(key, dialect.read("chat/completions", utf8(body), h -> null, "key-2").sessionKey().orElseThrow());
    }

    @Test
    void badBodiesAreRefusedNamingTheField() {
        assertEquals(ResponsesRequest.NOT_JSON, error("{not json"));
        assertEquals(ResponsesRequest.NOT_JSON, error("  "));
        assertEquals("Invalid type for request body: expected an object, but got an array instead.", error("[1]"));
        assertEquals("Missing required parameter: 'model'.", error("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertEquals("Invalid type for 'model': expected a string, but got an integer instead.",
                error("{\"model\":5,\"messages\":[]}"));
        assertEquals("Missing required parameter: 'messages'.", error("{\"model\":\"gpt-4.1\"}"));
        assertEquals("Invalid type for 'messages': expected an array, but got a string instead.",
                error("{\"model\":\"gpt-4.1\",\"messages\":\"hi\"}"));
        assertEquals("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array"
                + " instead.", error("{\"model\":\"gpt-4.1\",\"messages\":[]}"));
        assertEquals("Invalid type for 'stream': expected a boolean, but got a string instead.",
                error("{\"model\":\"gpt-4.1\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertThrows(IllegalArgumentException.class, () -> dialect.read("responses", utf8("{}"), h -> null, "k"));
    }

    @Test
    void tapAndWholeUsage() {
        assertInstanceOf(ChatUsageTap.class, dialect.newTap());
        var tap = dialect.newTap();
        tap.feed(ByteBuffer.wrap(utf8(ChatUsageTapTest.STREAM)));
        assertEquals(ChatUsageTapTest.USAGE, tap.usage());
        assertEquals(new MessageUsage("gpt-4.1-2025-04-14", new TokenUsage(19, 10, 0, 0, 0)),
                dialect.wholeUsage("chat/completions", utf8("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
                        + "\"created\":1764690000,\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\",\"refusal\":null,\"annotations\":[]},"
                        + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,"
                        + "\"completion_tokens\":10,\"total_tokens\":29,\"prompt_tokens_details\":{\"cached_tokens\":0,"
                        + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}")));
        assertEquals(new MessageUsage("o3", new TokenUsage(100, 400, 2000, 0, 0)),
                dialect.wholeUsage("chat/completions", utf8("{\"model\":\"o3\",\"usage\":{\"prompt_tokens\":2100,"
                        + "\"completion_tokens\":400,\"prompt_tokens_details\":{\"cached_tokens\":2000},"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":320}}}")));
        assertEquals(new MessageUsage(null, TokenUsage.ZERO), dialect.wholeUsage("chat/completions", utf8("<html>")));
        assertEquals(new MessageUsage(null, TokenUsage.ZERO), dialect.wholeUsage("chat/completions", null));
    }

    @Test
    void errorsAreOpenAisShapeWholeAndInTheStream() {
        assertEquals("invalid_request_error", dialect.errorType(ErrorKind.NOT_FOUND));
        assertEquals("rate_limit_error", dialect.errorType(ErrorKind.RATE_LIMITED));
        assertEquals("{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}", new String(dialect.errorBody(ErrorKind.AUTHENTICATION,
                "Incorrect API key provided."), StandardCharsets.UTF_8));
        assertArrayEquals(ResponsesDialect.INSTANCE.errorBody(ErrorKind.OVERLOADED, "busy"),
                dialect.errorBody(ErrorKind.OVERLOADED, "busy"));
        assertEquals("data: {\"error\":{\"message\":\"upstream stream broke off\",\"type\":\"server_error\","
                + "\"param\":null,\"code\":null}}\n\n", new String(dialect.streamErrorEvent(ErrorKind.API_ERROR,
                "upstream stream broke off"), StandardCharsets.UTF_8));
        ChatUsageTap tap = new ChatUsageTap();
        tap.feed(ByteBuffer.wrap(dialect.streamErrorEvent(ErrorKind.RATE_LIMITED, "slow down")));
        assertEquals("rate_limit_error", tap.errorType());
    }
}
