package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonTokens;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Watches a Gemini {@code streamGenerateContent?alt=sse} answer as it passes through: {@code data: {json}}
 * events (no {@code event:} field, CRLF or LF line ends, bytes split anywhere) whose JSON is a public answer
 * chunk ({@code {candidates, usageMetadata, modelVersion, responseId}}) or a Code Assist one
 * ({@code {response:{…}, traceId}}). Usage is the last {@code usageMetadata} seen ({@link GeminiUsage});
 * the model is {@code modelVersion}; the end is a candidate with a {@code finishReason}; an event
 * {@code {"error":{code, message, status}}} gives {@link #errorType()} (its {@code status}, such as
 * {@code RESOURCE_EXHAUSTED}) and {@link #errorJson()} (the event's JSON). Candidate contents are skipped,
 * not built ({@link AnswerScan}), and the data is read as the bytes it came in, not decoded into a string first,
 * whenever Jackson reads those as it would their text ({@link JsonTokens#readsAsDecoded}); malformed JSON is
 * ignored. One instance per stream; not thread-safe.
 */
public final class GeminiUsageTap implements UsageTap {
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final SseDecoder decoder = new SseDecoder();
  private final SseDecoder.DataHandler onData = (event, data, off, len) -> onData(data, off, len);
  private String model;
  private TokenUsage usage = TokenUsage.ZERO;
  private boolean sawEnd;
  private String errorType;
  private byte[] errorJson;

  @Override
  public void feed(ByteBuffer chunk) {
    decoder.feed(chunk, onData);
  }

  /** Feeds {@code len} bytes of {@code b} from {@code off}. */
  public void feed(byte[] b, int off, int len) {
    decoder.feed(b, off, len, onData);
  }

  @Override
  public void onEventJson(byte[] json) {
    if (json != null) {
      apply(AnswerScan.of(json), json);
    }
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public boolean sawEnd() {
    return sawEnd;
  }

  @Override
  public boolean atEventBoundary() {
    return decoder.atEventBoundary();
  }

  @Override
  public String errorType() {
    return errorType;
  }

  @Override
  public byte[] errorJson() {
    return errorJson == null ? null : errorJson.clone();
  }

  /**
   * An SSE event's data as it came: read as bytes whenever Jackson reads those as it would their text
   * ({@link JsonTokens#readsAsDecoded}), else decoded first, as before.
   */
  private void onData(byte[] b, int off, int len) {
    if (!JsonTokens.readsAsDecoded(b, off, len)) {
      onData(new String(b, off, len, StandardCharsets.UTF_8));
      return;
    }
    if (len == 0 || Arrays.equals(b, off, off + len, DONE, 0, DONE.length)) {
      return;
    }
    AnswerScan scan = AnswerScan.of(b, off, len);
    if (scan != null) {
      apply(scan, scan.error != null ? Arrays.copyOfRange(b, off, off + len) : null);
    }
  }

  private void onData(String data) {
    if (data.isEmpty() || "[DONE]".equals(data)) {
      return;
    }
    AnswerScan scan = AnswerScan.of(data);
    if (scan != null) {
      apply(scan, scan.error != null ? data.getBytes(StandardCharsets.UTF_8) : null);
    }
  }

  private void apply(AnswerScan scan, byte[] raw) {
    if (scan == null) {
      return;
    }
    if (scan.model != null) {
      model = scan.model;
    }
    if (scan.usage != null) {
      usage = scan.usage;
    }
    sawEnd |= scan.finished;
    if (scan.error != null) {
      errorType = errorType(scan.error);
      errorJson = raw;
    }
  }

  /** The error's {@code status} name, else the one its {@code code} stands for, else "error". */
  static String errorType(JsonNode error) {
    String status = Json.text(error, "status");
    if (status != null && !status.isBlank()) {
      return status;
    }
    JsonNode code = error.get("code");
    return code != null && code.isInt() ? GeminiErrors.statusFor(code.intValue()) : "error";
  }
}
