package dev.relaycluster.protocol.gemini;

import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.usage.MessageUsage;
import java.util.function.Function;

/**
 * The Gemini dialect, in both of its envelopes (endpoints named by {@link GeminiEndpoint}): the public API
 * ({@code models/{model}:generateContent}, model in the path, body {@code {contents, systemInstruction, …}})
 * and Code Assist ({@code v1internal:generateContent}, body {@code {model, project, user_prompt_id,
 * request:{…, session_id}}}, answers {@code {response:{…}, traceId}}). Errors are Google's
 * {@code {"error":{"code","message","status"}}}.
 */
public final class GeminiDialect implements Dialect {
  public static final GeminiDialect INSTANCE = new GeminiDialect();

  private GeminiDialect() {}

  @Override
  public DialectId id() {
    return DialectId.GEMINI;
  }

  /** SKELETON: to be implemented. */
  @Override
  public RequestView read(String endpoint, byte[] body, Function<String, String> header, String keyId) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public String recordedEndpoint(String endpoint) {
    return GeminiEndpoint.parse(endpoint).map(GeminiEndpoint::recorded).orElse(endpoint);
  }

  @Override
  public UsageTap newTap() {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public MessageUsage wholeUsage(String endpoint, byte[] body) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public String errorType(ErrorKind kind) {
    return GeminiErrors.statusFor(kind.status());
  }

  @Override
  public byte[] errorBody(ErrorKind kind, String message) {
    return GeminiErrors.body(kind.status(), message);
  }

  @Override
  public byte[] streamErrorEvent(ErrorKind kind, String message) {
    throw new UnsupportedOperationException("TODO");
  }
}
