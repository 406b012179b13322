package dev.relaycluster.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock's answer, in Anthropic's wire format: the streamed events of one message (message_start
 * with full usage including the cache_creation breakdown, content_block_start, ping, 20 text deltas,
 * content_block_stop, message_delta with usage, message_stop; about 3.5 KB) and the same message as
 * one JSON body. Built once; only the message id differs per answer.
 */
final class SseAnswer {
  static final String MODEL = "claude-sonnet-4-5-20250929";
  static final int DELTAS = 20;
  static final int INPUT_TOKENS = 12;
  static final int CACHE_WRITE_5M = 1830;
  static final int CACHE_WRITE_1H = 0;
  static final int CACHE_READ = 41250;
  static final int OUTPUT_TOKENS = 412;

  private static final String[] WORDS = (
      "The relay keeps each conversation on one upstream account so the prompt cache stays warm, "
      + "authenticates the team member's key, enforces its concurrency and records every token. "
      + "Streaming answers are passed through byte for byte while a small tap reads the usage from "
      + "message_start and message_delta events. When the stream ends the usage is settled exactly once, "
      + "even if the client went away early, and the account's lease is returned to the pool for the next request. "
      + "This text is only here to give the benchmark a realistic amount of bytes per event.").split(" ");

  /** Events after message_start, each one SSE event ("event: …\ndata: …\n\n"). */
  final List<byte[]> head = new ArrayList<>();   // content_block_start, ping
  final List<byte[]> deltas = new ArrayList<>(); // 20 content_block_delta
  final List<byte[]> tail = new ArrayList<>();   // content_block_stop, message_delta, message_stop
  /** The text of the 20 deltas, each ending in a space (the Responses answer streams the same text). */
  final List<String> pieces = new ArrayList<>();
  private final String text;

  SseAnswer() {
    head.add(event("content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    head.add(event("ping", "{\"type\": \"ping\"}"));
    StringBuilder all = new StringBuilder();
    int w = 0;
    for (int i = 0; i < DELTAS; i++) {
      StringBuilder piece = new StringBuilder();
      int words = 1 + (i % 4);
      for (int k = 0; k < words; k++) {
        piece.append(WORDS[w++ % WORDS.length]).append(' ');
      }
      all.append(piece);
      pieces.add(piece.toString());
      deltas.add(event("content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
              + piece + "\"}}"));
    }
    text = all.toString().trim();
    tail.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    tail.add(event("message_delta",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
            + "\"usage\":{\"input_tokens\":" + INPUT_TOKENS + ",\"cache_creation_input_tokens\":"
            + (CACHE_WRITE_5M + CACHE_WRITE_1H) + ",\"cache_read_input_tokens\":" + CACHE_READ
            + ",\"output_tokens\":" + OUTPUT_TOKENS + "}}"));
    tail.add(event("message_stop", "{\"type\":\"message_stop\"}"));
  }

  /** message_start for one answer; the id has a fixed length so every answer has the same size. */
  byte[] messageStart(long n) {
    return event("message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id(n) + "\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"" + MODEL + "\",\"content\":[],\"stop_reason\":null,"
            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + INPUT_TOKENS
            + ",\"cache_creation_input_tokens\":" + (CACHE_WRITE_5M + CACHE_WRITE_1H)
            + ",\"cache_read_input_tokens\":" + CACHE_READ
            + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + CACHE_WRITE_5M
            + ",\"ephemeral_1h_input_tokens\":" + CACHE_WRITE_1H + "},\"output_tokens\":1,"
            + "\"service_tier\":\"standard\"}}}");
  }

  /** The non-streaming answer: the whole message as JSON with usage. */
  byte[] json(long n) {
    return ("{\"id\":\"" + id(n) + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + MODEL
        + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + INPUT_TOKENS
        + ",\"cache_creation_input_tokens\":" + (CACHE_WRITE_5M + CACHE_WRITE_1H)
        + ",\"cache_read_input_tokens\":" + CACHE_READ
        + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + CACHE_WRITE_5M
        + ",\"ephemeral_1h_input_tokens\":" + CACHE_WRITE_1H + "},\"output_tokens\":" + OUTPUT_TOKENS
        + ",\"service_tier\":\"standard\"}}").getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes of one whole streamed answer (for the start-up banner). */
  int streamSize() {
    int n = messageStart(0).length;
    for (List<byte[]> part : List.of(head, deltas, tail)) {
      for (byte[] b : part) {
        n += b.length;
      }
    }
    return n;
  }

  private static String id(long n) {
    return String.format("msg_01Bench%014d", n);
  }

  private static byte[] event(String name, String data) {
    return ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
