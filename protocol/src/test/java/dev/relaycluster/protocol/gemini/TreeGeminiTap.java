package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link GeminiUsageTap} as it was before it read events with a streaming parser from their bytes (its code then,
 * unchanged: a JSON tree per event read, every event's data decoded into a string first): the reference the
 * streaming reads are compared with.
 */
final class TreeGeminiTap implements UsageTap {
  private final SseDecoder decoder = new SseDecoder();
  private String model;
  private TokenUsage usage = TokenUsage.ZERO;
  private boolean sawEnd;
  private String errorType;
  private byte[] errorJson;

  @Override
  public void feed(ByteBuffer chunk) {
    decoder.feed(chunk).forEach(this::onSseEvent);
  }

  /** Feeds {@code len} bytes of {@code b} from {@code off}. */
  public void feed(byte[] b, int off, int len) {
    decoder.feed(b, off, len).forEach(this::onSseEvent);
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

  private void onSseEvent(SseEvent e) {
    String data = e.data();
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
