package dev.relaycluster.protocol.convert.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.StreamDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Recorded Messages API streams decoded split at every byte boundary (also inside UTF-8) and at random. */
class MessagesStreamDecoderTest {

  @ParameterizedTest
  @ValueSource(strings = {"text", "thinking", "tools", "refusal", "max_tokens", "stop_sequence", "error", "cut",
      "server_tool"})
  void decodesEveryWayTheStreamIsSplit(String name) {
    byte[] stream = Resources.bytes("decoder/" + name + ".sse");
    String expected = Resources.text("decoder/" + name + ".events");
    assertEquals(expected, decode(stream, new int[0]), "whole");
    for (int i = 1; i < stream.length; i++) {
      assertEquals(expected, decode(stream, new int[] {i}), "split at " + i);
    }
    int[] everyByte = new int[stream.length - 1];
    Arrays.setAll(everyByte, i -> i + 1);
    assertEquals(expected, decode(stream, everyByte), "byte by byte");
    Random random = new Random(20);
    for (int round = 0; round < 200; round++) {
      int[] cuts = random.ints(1 + random.nextInt(12), 1, stream.length).sorted().distinct().toArray();
      assertEquals(expected, decode(stream, cuts), "cuts " + Arrays.toString(cuts));
    }
  }

  private static String decode(byte[] stream, int[] cuts) {
    StreamDecoder decoder = AnthropicCodec.INSTANCE.newDecoder();
    List<AnswerEvent> events = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      decoder.feed(ByteBuffer.wrap(Arrays.copyOfRange(stream, from, cut)), events::add);
      from = cut;
    }
    decoder.feed(ByteBuffer.wrap(Arrays.copyOfRange(stream, from, stream.length)), events::add);
    decoder.end(events::add);
    return events.stream().map(Object::toString).collect(Collectors.joining("\n", "", "\n"));
  }
}
