package dev.relaycluster.protocol.anthropic;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.session.SessionKey;
import dev.relaycluster.protocol.session.SessionKeySource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Anthropic Messages dialect through the {@link Dialect} interface the relay uses. */
class AnthropicDialectTest {

  private final Dialect dialect = AnthropicDialect.INSTANCE;

  @Test
  void readsAStreamedMessagesRequestWithClaudeCodesSessionHeader() {
    RequestView v = dialect.read(AnthropicDialect.MESSAGES, utf8("{\"model\":\"claude-sonnet-4-5\",\"stream\":true,"
        + "\"max_tokens\":32000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        Map.of("x-claude-code-session-id", "sess-1")::get, "key-1");
    assertEquals("claude-sonnet-4-5", v.model());
    assertTrue(v.stream());
    assertEquals(32000, v.maxTokens());
    assertTrue(v.generates());
    assertEquals(new SessionKey("sess-1", SessionKeySource.CLAUDE_CODE_HEADER), v.sessionKey().orElseThrow());
    assertEquals(DialectId.ANTHROPIC, dialect.id());
  }

  @Test
  void countTokensDoesNotGenerateAndTheSessionComesFromTheMetadata() {
    RequestView v = dialect.read(AnthropicDialect.COUNT_TOKENS, utf8("{\"model\":\"claude-haiku-4-5\","
        + "\"metadata\":{\"user_id\":\"{\\\"session_id\\\":\\\"s-9\\\"}\"},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), h -> null, "key-1");
    assertEquals("claude-haiku-4-5", v.model());
    assertFalse(v.stream());
    assertFalse(v.generates());
    assertEquals(SessionKeySource.CLAUDE_METADATA_JSON, v.sessionKey().orElseThrow().source());
  }

  @Test
  void anInvalidBodyIsAnInvalidRequest() {
    assertThrows(InvalidRequestException.class,
        () -> dialect.read(AnthropicDialect.MESSAGES, utf8("{not json"), h -> null, "k"));
    assertThrows(InvalidRequestException.class,
        () -> dialect.read(AnthropicDialect.MESSAGES, utf8("{\"messages\":[]}"), h -> null, "k"));
  }

  @Test
  void errorTypesAreAnthropics() {
    assertEquals("invalid_request_error", dialect.errorType(ErrorKind.INVALID_REQUEST));
    assertEquals("invalid_request_error", dialect.errorType(ErrorKind.METHOD_NOT_ALLOWED));
    assertEquals("authentication_error", dialect.errorType(ErrorKind.AUTHENTICATION));
    assertEquals("billing_error", dialect.errorType(ErrorKind.BILLING));
    assertEquals("permission_error", dialect.errorType(ErrorKind.PERMISSION));
    assertEquals("not_found_error", dialect.errorType(ErrorKind.NOT_FOUND));
    assertEquals("request_too_large", dialect.errorType(ErrorKind.TOO_LARGE));
    assertEquals("rate_limit_error", dialect.errorType(ErrorKind.RATE_LIMITED));
    assertEquals("api_error", dialect.errorType(ErrorKind.API_ERROR));
    assertEquals("api_error", dialect.errorType(ErrorKind.BAD_GATEWAY));
    assertEquals("overloaded_error", dialect.errorType(ErrorKind.OVERLOADED));
    assertEquals("timeout_error", dialect.errorType(ErrorKind.TIMEOUT));
  }

  @Test
  void errorBodyIsAnthropicsErrorJson() {
    assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}",
        utf8s(dialect.errorBody(ErrorKind.AUTHENTICATION, "invalid x-api-key")));
    assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
        utf8s(dialect.errorBody(ErrorKind.OVERLOADED, "Overloaded")));
  }

  @Test
  void streamErrorEventIsAnErrorEventClaudeCodeReads() {
    assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"cut\"}}\n\n",
        utf8s(dialect.streamErrorEvent(ErrorKind.BAD_GATEWAY, "cut")));
  }

  @Test
  void theOwnTapReadsTheOwnStreamErrorEvent() {
    var tap = dialect.newTap();
    assertInstanceOf(AnthropicUsageTap.class, tap);
    tap.feed(ByteBuffer.wrap(dialect.streamErrorEvent(ErrorKind.OVERLOADED, "Overloaded")));
    assertEquals("overloaded_error", tap.errorType());
    assertTrue(tap.atEventBoundary());
    assertFalse(tap.sawEnd());
  }

  private static String utf8s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
