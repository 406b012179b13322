package dev.relaycluster.protocol.anthropic;

import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.dialect.StreamErrorMarks;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.session.SessionKey;
import dev.relaycluster.protocol.session.SessionKeys;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.JsonSkim;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Anthropic Messages dialect (Claude Code, the Anthropic SDKs): endpoints "messages" (generates) and
 * "count_tokens" (does not); session key from Claude Code's header or {@code metadata.user_id}, else the
 * prompt prefix; Anthropic's error JSON and its {@code event: error} inside a stream.
 */
public final class AnthropicDialect implements Dialect {
  public static final AnthropicDialect INSTANCE = new AnthropicDialect();
  private static final byte[][] ERROR_WORDS = {StreamErrorMarks.word("error")};
  public static final String MESSAGES = "messages";
  public static final String COUNT_TOKENS = "count_tokens";

  private AnthropicDialect() {}

  @Override
  public DialectId id() {
    return DialectId.ANTHROPIC;
  }

  @Override
  public RequestView read(String endpoint, byte[] body, Function<String, String> header, String keyId) {
    // Claude Code names its session in a header: then routing needs only three fields of the body, read
    // without building its tree. Anything unusual (and every error) takes the full parse below.
    Optional<SessionKey> named = SessionKeys.claudeHeader(header);
    if (named.isPresent()) {
      JsonSkim.Fields fields = JsonSkim.read(body, "max_tokens", false);
      if (fields != null) {
        return new RequestView(fields.model(), fields.stream(), fields.maxTokens(), MESSAGES.equals(endpoint), named);
      }
    }
    MessagesRequest request = MessagesRequest.parse(body);
    return new RequestView(request.model(), request.stream(), request.maxTokens(), MESSAGES.equals(endpoint),
        SessionKeys.claude(header, request.json(), keyId));
  }

  @Override
  public UsageTap newTap() {
    return new AnthropicUsageTap();
  }

  /** Whether the bytes spell what a tap needs to report an error: an error event is typed {@code error}. */
  @Override
  public boolean mayHoldStreamError(byte[] sse, int offset, int length) {
    return StreamErrorMarks.mayHold(sse, offset, length, ERROR_WORDS);
  }

  @Override
  public MessageUsage wholeUsage(String endpoint, byte[] body) {
    return MESSAGES.equals(endpoint) ? AnthropicUsage.fromMessageBytes(body) : new MessageUsage(null, TokenUsage.ZERO);
  }

  @Override
  public String errorType(ErrorKind kind) {
    return switch (kind) {
      case INVALID_REQUEST, METHOD_NOT_ALLOWED -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case BILLING -> "billing_error";
      case PERMISSION -> "permission_error";
      case NOT_FOUND -> "not_found_error";
      case TOO_LARGE -> "request_too_large";
      case RATE_LIMITED -> "rate_limit_error";
      case API_ERROR, BAD_GATEWAY -> "api_error";
      case OVERLOADED -> "overloaded_error";
      case TIMEOUT -> "timeout_error";
    };
  }

  @Override
  public byte[] errorBody(ErrorKind kind, String message) {
    return AnthropicErrors.body(errorType(kind), message);
  }

  @Override
  public byte[] streamErrorEvent(ErrorKind kind, String message) {
    return AnthropicErrors.sseEvent(errorType(kind), message);
  }
}
