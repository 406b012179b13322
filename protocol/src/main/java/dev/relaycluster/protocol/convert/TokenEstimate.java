package dev.relaycluster.protocol.convert;

import java.nio.charset.StandardCharsets;

/**
 * A rough count of a conversation's input tokens, for a client that asks to count tokens where the serving
 * pool has no counter: about four bytes of UTF-8 per token over every text, tool call, tool result and tool
 * definition, and a fixed 1,600 tokens per image or document. An estimate, and answered as one.
 */
public final class TokenEstimate {
  private static final long PER_IMAGE = 1_600;

  private TokenEstimate() {}

  public static long of(Conversation c) {
    long bytes = 0;
    long fixed = 0;
    for (String s : c.system()) {
      bytes += utf8(s);
    }
    for (ToolSpec t : c.tools()) {
      bytes += utf8(t.name()) + utf8(t.description()) + utf8(t.parameters() == null ? null : t.parameters().toString());
    }
    for (Turn turn : c.turns()) {
      for (Part p : turn.parts()) {
        long[] counted = count(p);
        bytes += counted[0];
        fixed += counted[1];
      }
    }
    return (bytes + 3) / 4 + fixed;
  }

  private static long[] count(Part p) {
    if (p instanceof Part.Text t) {
      return new long[] {utf8(t.text()), 0};
    }
    if (p instanceof Part.ToolCall call) {
      return new long[] {utf8(call.name()) + utf8(call.arguments()), 0};
    }
    if (p instanceof Part.ToolResult result) {
      long bytes = 0;
      long fixed = 0;
      for (Part inner : result.content()) {
        long[] counted = count(inner);
        bytes += counted[0];
        fixed += counted[1];
      }
      return new long[] {bytes, fixed};
    }
    if (p instanceof Part.Reasoning r) {
      return new long[] {utf8(r.text()), 0};
    }
    return new long[] {0, PER_IMAGE};
  }

  private static long utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
