package dev.relaycluster.protocol.convert.responses;

import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.StreamDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Test resources of this package and ways of feeding a decoder. */
final class Fixtures {

  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/convert/responses/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String name) {
    return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The events of {@code sse} fed in one piece to a new decoder. */
  static List<AnswerEvent> decode(byte[] sse) {
    return decode(sse, new int[0]);
  }

  /** The events of {@code sse} fed in pieces cut at {@code cuts} (ascending offsets). */
  static List<AnswerEvent> decode(byte[] sse, int... cuts) {
    StreamDecoder decoder = ResponsesCodec.INSTANCE.newDecoder();
    List<AnswerEvent> events = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      decoder.feed(ByteBuffer.wrap(sse, from, cut - from), events::add);
      from = cut;
    }
    decoder.feed(ByteBuffer.wrap(sse, from, sse.length - from).slice(), events::add);
    decoder.end(events::add);
    return events;
  }

  /** The events of {@code sse} fed one byte at a time. */
  static List<AnswerEvent> decodeByteByByte(byte[] sse) {
    StreamDecoder decoder = ResponsesCodec.INSTANCE.newDecoder();
    List<AnswerEvent> events = new ArrayList<>();
    for (byte b : sse) {
      decoder.feed(ByteBuffer.wrap(new byte[] {b}), events::add);
    }
    decoder.end(events::add);
    return events;
  }
}
