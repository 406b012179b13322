package dev.relaycluster.protocol.convert.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeminiStreamDecoderTest {

  @ParameterizedTest
  @ValueSource(strings = {"text", "thoughts-text", "two-calls", "call-with-id", "max-tokens", "safety",
      "prompt-blocked", "error", "error-first", "cut", "late-usage", "no-blank-at-end"})
  void decodesRecordedStreamSplitAtEveryByte(String name) {
    byte[] sse = GeminiTestSupport.resource(name + ".sse");
    List<String> expected = GeminiTestSupport.lines(name + ".events");
    assertEquals(expected, GeminiTestSupport.strings(GeminiTestSupport.decode(sse)), name + " whole");
    for (int cut = 0; cut <= sse.length; cut++) {
      assertEquals(expected, GeminiTestSupport.strings(GeminiTestSupport.decode(sse, cut)), name + " cut at " + cut);
    }
    int[] every = new int[sse.length];
    for (int i = 0; i < sse.length; i++) {
      every[i] = i;
    }
    assertEquals(expected, GeminiTestSupport.strings(GeminiTestSupport.decode(sse, every)), name + " byte by byte");
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "two-calls", "thoughts-text"})
  void sameEventsWithLfSeparatorsAndThreeCuts(String name) {
    String crlf = new String(GeminiTestSupport.resource(name + ".sse"), StandardCharsets.UTF_8);
    byte[] lf = crlf.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
    List<String> expected = GeminiTestSupport.lines(name + ".events");
    java.util.Random random = new java.util.Random(7);
    for (int round = 0; round < 200; round++) {
      List<Integer> cuts = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        cuts.add(random.nextInt(lf.length + 1));
      }
      int[] sorted = cuts.stream().sorted().mapToInt(Integer::intValue).toArray();
      assertEquals(expected, GeminiTestSupport.strings(GeminiTestSupport.decode(lf, sorted)), name + " " + cuts);
    }
  }
}
