package dev.relaycluster.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock's answer in the OpenAI Responses wire format (what {@code POST /v1/responses} returns to Codex):
 * the streamed events of one text answer ({@code response.created}, {@code response.in_progress},
 * {@code response.output_item.added}, {@code response.content_part.added}, 20 {@code response.output_text.delta},
 * {@code response.output_text.done}, {@code response.content_part.done}, {@code response.output_item.done},
 * {@code response.completed} with {@code response.usage}; each {@code event: <type>\ndata: {"type":…}\n\n},
 * no {@code [DONE]}; 10,251 bytes, three of the events carrying the whole response object as the API sends
 * them) and the same response as one JSON body. The text is the one the Messages answer streams
 * ({@link SseAnswer}). Built once; the three events that carry the response object (created, in_progress,
 * completed) are split around the response id, which differs per answer and has a fixed length so every
 * answer has the same size.
 */
final class ResponsesAnswer {
  static final String MODEL = "gpt-5-codex";
  static final int INPUT_TOKENS = 43092;
  static final int CACHED_TOKENS = 41216;
  static final int OUTPUT_TOKENS = 412;
  static final int REASONING_TOKENS = 128;
  /** Stands for the response id inside the templates. */
  private static final String ID = "\u0000ID\u0000";

  /** response.created and response.in_progress, each split at the response id. */
  final List<byte[][]> start = new ArrayList<>();
  /** response.output_item.added, response.content_part.added. */
  final List<byte[]> head = new ArrayList<>();
  /** 20 response.output_text.delta. */
  final List<byte[]> deltas = new ArrayList<>();
  /** response.output_text.done, response.content_part.done, response.output_item.done. */
  final List<byte[]> tail = new ArrayList<>();
  /** response.completed, split at the response id. */
  final byte[][] completed;
  private final byte[][] json;

  ResponsesAnswer(List<String> pieces) {
    String item = "msg_bench0000000000000000000000000000000000000000";
    String text = String.join("", pieces).trim();
    int seq = 0;
    start.add(split(event("response.created", seq++, "\"response\":" + response("in_progress", "[]", "null"))));
    start.add(split(event("response.in_progress", seq++, "\"response\":" + response("in_progress", "[]", "null"))));
    head.add(bytes(event("response.output_item.added", seq++,
        "\"output_index\":0,\"item\":" + messageItem(item, null, "in_progress"))));
    head.add(bytes(event("response.content_part.added", seq++, "\"item_id\":\"" + item
        + "\",\"output_index\":0,\"content_index\":0,\"part\":" + textPart(""))));
    for (int i = 0; i < pieces.size(); i++) {
      String piece = i == pieces.size() - 1 ? pieces.get(i).stripTrailing() : pieces.get(i);
      deltas.add(bytes(event("response.output_text.delta", seq++, "\"item_id\":\"" + item
          + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + piece + "\",\"logprobs\":[]")));
    }
    tail.add(bytes(event("response.output_text.done", seq++, "\"item_id\":\"" + item
        + "\",\"output_index\":0,\"content_index\":0,\"text\":\"" + text + "\",\"logprobs\":[]")));
    tail.add(bytes(event("response.content_part.done", seq++, "\"item_id\":\"" + item
        + "\",\"output_index\":0,\"content_index\":0,\"part\":" + textPart(text))));
    String done = messageItem(item, text, "completed");
    tail.add(bytes(event("response.output_item.done", seq++, "\"output_index\":0,\"item\":" + done)));
    completed = split(event("response.completed", seq, "\"response\":" + response("completed", "[" + done + "]",
        usage())));
    json = split(response("completed", "[" + done + "]", usage()));
  }

  /** The response id of answer n: "resp_bench" and 38 digits, as long as OpenAI's. */
  static byte[] id(long n) {
    return String.format("resp_bench%038d", n).getBytes(StandardCharsets.UTF_8);
  }

  /** The non-streaming answer: the whole response object with usage. */
  byte[] json(long n) {
    return join(json, id(n));
  }

  /** Bytes of one whole streamed answer (for the start-up banner). */
  int streamSize() {
    int n = 0;
    for (byte[][] s : start) {
      n += join(s, id(0)).length;
    }
    for (List<byte[]> part : List.of(head, deltas, tail)) {
      for (byte[] b : part) {
        n += b.length;
      }
    }
    return n + join(completed, id(0)).length;
  }

  static byte[] join(byte[][] parts, byte[] id) {
    byte[] out = new byte[parts[0].length + id.length + parts[1].length];
    System.arraycopy(parts[0], 0, out, 0, parts[0].length);
    System.arraycopy(id, 0, out, parts[0].length, id.length);
    System.arraycopy(parts[1], 0, out, parts[0].length + id.length, parts[1].length);
    return out;
  }

  private static String usage() {
    return "{\"input_tokens\":" + INPUT_TOKENS + ",\"input_tokens_details\":{\"cached_tokens\":" + CACHED_TOKENS
        + "},\"output_tokens\":" + OUTPUT_TOKENS + ",\"output_tokens_details\":{\"reasoning_tokens\":"
        + REASONING_TOKENS + "},\"total_tokens\":" + (INPUT_TOKENS + OUTPUT_TOKENS) + "}";
  }

  /** The response object as the API returns it (and as created, in_progress and completed carry it). */
  private static String response(String status, String output, String usage) {
    return "{\"id\":\"" + ID + "\",\"object\":\"response\",\"created_at\":1780000000,\"status\":\"" + status
        + "\",\"background\":false,\"error\":null,\"incomplete_details\":null,"
        + "\"instructions\":\"You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI.\","
        + "\"max_output_tokens\":null,\"max_tool_calls\":null,\"model\":\"" + MODEL + "\",\"output\":" + output
        + ",\"parallel_tool_calls\":false,\"previous_response_id\":null,\"prompt_cache_key\":null,"
        + "\"reasoning\":{\"effort\":\"medium\",\"summary\":null},\"safety_identifier\":null,"
        + "\"service_tier\":\"default\",\"store\":false,\"temperature\":1.0,"
        + "\"text\":{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"},\"tool_choice\":\"auto\","
        + "\"tools\":[],\"top_logprobs\":0,\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":" + usage
        + ",\"user\":null,\"metadata\":{}}";
  }

  private static String messageItem(String id, String text, String status) {
    return "{\"id\":\"" + id + "\",\"type\":\"message\",\"status\":\"" + status + "\",\"content\":["
        + (text == null ? "" : textPart(text)) + "],\"role\":\"assistant\"}";
  }

  private static String textPart(String text) {
    return "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"" + text + "\"}";
  }

  private static String event(String type, int seq, String rest) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":" + seq + "," + rest + "}\n\n";
  }

  private static byte[][] split(String s) {
    int at = s.indexOf(ID);
    return new byte[][] {bytes(s.substring(0, at)), bytes(s.substring(at + ID.length()))};
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
