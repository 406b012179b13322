package dev.relaycluster.protocol.convert.gemini;

import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.StreamDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test resources and stream plumbing shared by the Gemini codec tests. */
final class GeminiTestSupport {
  private GeminiTestSupport() {}

  static byte[] resource(String name) {
    try (InputStream in = GeminiTestSupport.class.getResourceAsStream("/convert/gemini/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(String name) {
    String text = new String(resource(name), StandardCharsets.UTF_8);
    return Arrays.asList(text.split("\n"));
  }

  /** Decodes {@code bytes} fed in pieces cut at {@code cuts} (ascending offsets). */
  static List<AnswerEvent> decode(byte[] bytes, int... cuts) {
    StreamDecoder decoder = GeminiCodec.INSTANCE.newDecoder();
    List<AnswerEvent> events = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      decoder.feed(ByteBuffer.wrap(bytes, from, cut - from).slice(), events::add);
      from = cut;
    }
    decoder.feed(ByteBuffer.wrap(bytes, from, bytes.length - from).slice(), events::add);
    decoder.end(events::add);
    return events;
  }

  static List<String> strings(List<AnswerEvent> events) {
    return events.stream().map(Object::toString).toList();
  }
}
