package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.dialect.StreamErrorMarks;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.session.SessionKey;
import dev.relaycluster.protocol.session.SessionKeySource;
import dev.relaycluster.protocol.session.SessionKeys;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Gemini dialect, in both of its envelopes (endpoints named by {@link GeminiEndpoint}): the public API
 * ({@code models/{model}:generateContent}, model in the path, body {@code {contents, systemInstruction, …}})
 * and Code Assist ({@code v1internal:generateContent}, body {@code {model, project, user_prompt_id,
 * request:{…, session_id}}}, answers {@code {response:{…}, traceId}}). Errors are Google's
 * {@code {"error":{"code","message","status"}}}.
 *
 * <p>Reading a request: model calls need a JSON object body; the model comes from the path (public API) or
 * from the body's {@code model} (Code Assist; countTokens: {@code request.model}, without {@code models/});
 * max tokens from {@code generationConfig.maxOutputTokens} (inside {@code request} for Code Assist); the session
 * key from {@link SessionKeys#gemini}. Code Assist side calls and operation reads name no model, do not stream
 * or generate, and all of one API key's side calls share one session key (so they stick to one account, which
 * then also answers with the project it was set up with).
 */
public final class GeminiDialect implements Dialect {
  public static final GeminiDialect INSTANCE = new GeminiDialect();
  private static final byte[][] ERROR_WORDS = {StreamErrorMarks.word("error")};

  private GeminiDialect() {}

  @Override
  public DialectId id() {
    return DialectId.GEMINI;
  }

  @Override
  public RequestView read(String endpoint, byte[] body, Function<String, String> header, String keyId) {
    GeminiEndpoint e = GeminiEndpoint.parse(endpoint).orElseThrow(() -> new InvalidRequestException(
        "Unknown Gemini method: " + endpoint + " (the relay serves models/{model}:generateContent,"
            + " :streamGenerateContent and :countTokens, and the Code Assist v1internal methods)."));
    if (!e.modelCall()) {
      sideCallBody(body);
      return new RequestView(null, false, -1, false, Optional.of(sideCallSession(keyId)));
    }
    JsonNode json = jsonObject(body);
    JsonNode request = json;
    String model;
    if (e.codeAssist()) {
      request = json.get("request");
      if (request == null || !request.isObject()) {
        throw new InvalidRequestException("Invalid Code Assist request: \"request\" must be an object.");
      }
      model = CodeAssistEnvelope.bareModel(Json.text(e.countsTokens() ? request : json, "model"));
      if (model == null || model.isBlank()) {
        throw new InvalidRequestException("Invalid Code Assist request: "
            + (e.countsTokens() ? "\"request.model\"" : "\"model\"") + " is required.");
      }
      if (!GeminiEndpoint.plainModel(model)) {
        // It may go into an upstream URL (a Gemini API key serves it as models/{model}:…).
        throw new InvalidRequestException("Invalid Code Assist request: unexpected model name format.");
      }
    } else {
      model = e.model();
    }
    return new RequestView(model, e.streams(), maxOutputTokens(request), e.generates(),
        SessionKeys.gemini(header, json, keyId));
  }

  /**
   * The session key all side calls of API key {@code keyId} share: a hash of a fixed label and the key id
   * (source {@link SessionKeySource#PREFIX_HASH}: it is derived, not sent by the client).
   */
  static SessionKey sideCallSession(String keyId) {
    return new SessionKey(Hashing.sha256Hex("gemini-code-assist\n" + (keyId == null ? "" : keyId)),
        SessionKeySource.PREFIX_HASH);
  }

  @Override
  public String recordedEndpoint(String endpoint) {
    return GeminiEndpoint.parse(endpoint).map(GeminiEndpoint::recorded).orElse(endpoint);
  }

  @Override
  public UsageTap newTap() {
    return new GeminiUsageTap();
  }

  /** Whether the bytes spell what a tap needs to report an error: an error answer has an {@code error} object. */
  @Override
  public boolean mayHoldStreamError(byte[] sse, int offset, int length) {
    return StreamErrorMarks.mayHold(sse, offset, length, ERROR_WORDS);
  }

  /**
   * Model and usage of a whole answer to generateContent, in either envelope (a JSON array of answers, as a
   * stream read whole, counts its last usage); countTokens answers and side calls cost nothing.
   */
  @Override
  public MessageUsage wholeUsage(String endpoint, byte[] body) {
    boolean generates = GeminiEndpoint.parse(endpoint).map(GeminiEndpoint::generates).orElse(false);
    AnswerScan scan = generates && body != null ? AnswerScan.of(body) : null;
    if (scan == null) {
      return new MessageUsage(null, TokenUsage.ZERO);
    }
    return new MessageUsage(scan.model, scan.usage == null ? TokenUsage.ZERO : scan.usage);
  }

  @Override
  public String errorType(ErrorKind kind) {
    return GeminiErrors.statusFor(kind.status());
  }

  @Override
  public byte[] errorBody(ErrorKind kind, String message) {
    return GeminiErrors.body(kind.status(), message);
  }

  /** {@code data: {"error":{…}}} and a blank line, CRLF line ends as Google's SSE has them. */
  @Override
  public byte[] streamErrorEvent(ErrorKind kind, String message) {
    return ("data: " + new String(GeminiErrors.body(kind.status(), message), StandardCharsets.UTF_8) + "\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long maxOutputTokens(JsonNode request) {
    JsonNode config = request.path("generationConfig");
    if (!config.isObject()) {
      config = request.path("generation_config");
    }
    JsonNode max = config.has("maxOutputTokens") ? config.get("maxOutputTokens") : config.path("max_output_tokens");
    return max.isIntegralNumber() && max.canConvertToLong() && max.longValue() >= 0 ? max.longValue() : -1;
  }

  private static JsonNode jsonObject(byte[] body) {
    if (body == null || isBlank(body)) {
      throw new InvalidRequestException("Invalid JSON payload received: the request body is empty,"
          + " and a JSON object is expected.");
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException ex) {
      throw new InvalidRequestException("Invalid JSON payload received: the request body is not valid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequestException("Invalid JSON payload received: the request body is not a JSON object.");
    }
    return root;
  }

  /** A side call's body may be empty (a GET) or any JSON object. */
  private static void sideCallBody(byte[] body) {
    if (body != null && !isBlank(body)) {
      jsonObject(body);
    }
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
