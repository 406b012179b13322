package dev.relaycluster.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock's answer in the Gemini API's wire format (what {@code POST /v1beta/models/{model}:streamGenerateContent
 * ?alt=sse} returns to Gemini CLI and the Google SDKs): 20 chunks {@code data: {"candidates":[{"content":{"parts":
 * [{"text":…}],"role":"model"},"index":0}],"usageMetadata":…,"modelVersion":…,"responseId":…}}, each followed by
 * a blank line with CRLF as Google sends them, the last one with {@code "finishReason":"STOP"} and the final
 * usage (prompt, cached, candidates, thoughts and total token counts); and the same answer as one JSON
 * {@code GenerateContentResponse} for {@code :generateContent}. The text is the one the Messages answer streams
 * ({@link SseAnswer}). The response id is the same in every answer (Gemini's are not looked at by the relay).
 */
final class GeminiAnswer {
  static final String MODEL = "gemini-2.5-pro";
  static final int PROMPT_TOKENS = 40_950;
  static final int CACHED_TOKENS = 32_768;
  static final int OUTPUT_TOKENS = 412;
  static final int THOUGHTS_TOKENS = 96;

  /** The 20 streamed chunks, the last one carrying finishReason and the final usage. */
  final List<byte[]> chunks = new ArrayList<>();
  final byte[] json;

  GeminiAnswer(List<String> pieces) {
    for (int i = 0; i < pieces.size(); i++) {
      boolean last = i == pieces.size() - 1;
      String piece = last ? pieces.get(i).stripTrailing() : pieces.get(i);
      chunks.add(bytes("data: " + response(piece, last, last ? usage(OUTPUT_TOKENS) : usage(i + 1)) + "\r\n\r\n"));
    }
    json = bytes(response(String.join("", pieces).trim(), true, usage(OUTPUT_TOKENS)));
  }

  int streamSize() {
    int n = 0;
    for (byte[] c : chunks) {
      n += c.length;
    }
    return n;
  }

  private static String response(String text, boolean last, String usage) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"}"
        + (last ? ",\"finishReason\":\"STOP\"" : "") + ",\"index\":0}],\"usageMetadata\":" + usage
        + ",\"modelVersion\":\"" + MODEL + "\",\"responseId\":\"bench-gemini-000000000000\"}";
  }

  private static String usage(int candidates) {
    return "{\"promptTokenCount\":" + PROMPT_TOKENS + ",\"candidatesTokenCount\":" + candidates
        + ",\"totalTokenCount\":" + (PROMPT_TOKENS + candidates + THOUGHTS_TOKENS)
        + ",\"cachedContentTokenCount\":" + CACHED_TOKENS + ",\"promptTokensDetails\":[{\"modality\":\"TEXT\","
        + "\"tokenCount\":" + PROMPT_TOKENS + "}],\"thoughtsTokenCount\":" + THOUGHTS_TOKENS + "}";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
