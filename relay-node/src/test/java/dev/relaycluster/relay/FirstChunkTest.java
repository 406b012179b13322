package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Which first chunks of a stream are upstream's refusal: its error event before any answer (and no end), or bytes
 * that are no event stream at all.
 */
class FirstChunkTest {
  private static ByteString of(String s) {
    return ByteString.fromString(s);
  }

  private static UsageTap refusal(Dialect dialect, String chunk) {
    return FirstChunk.read(dialect, of(chunk)).refusal();
  }

  @Test
  void anErrorEventFirstIsARefusalInEveryDialect() {
    assertEquals("overloaded_error", refusal(AnthropicDialect.INSTANCE, "event: error\ndata: "
        + "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n").errorType());
    assertNotNull(refusal(ResponsesDialect.INSTANCE, "event: response.created\ndata: "
        + "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}\n\n"
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"x\"}}\n\n"));
    assertNotNull(refusal(ChatDialect.INSTANCE, "data: {\"error\":{\"message\":\"x\","
        + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
    assertEquals("UNAVAILABLE", refusal(GeminiDialect.INSTANCE, "data: {\"error\":{\"code\":503,"
        + "\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n").errorType());
  }

  @Test
  void anAnswerOrAnUnreadableChunkIsNot() {
    assertNull(refusal(AnthropicDialect.INSTANCE, "event: message_start\ndata: "
        + "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":3}}}\n\n"));
    // Every response object carries "error": null; that is no error event.
    assertNull(refusal(ResponsesDialect.INSTANCE, "event: response.created\ndata: {\"type\":\"response.created\","
        + "\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"error\": null}}\n\n"));
    FirstChunk.Read unreadable = FirstChunk.read(ChatDialect.INSTANCE, of("\u00ff\u0001 not an event stream \n\n"));
    assertNull(unreadable.refusal());
    // A whole stream that ends normally in one chunk is an answer, whatever came before its end.
    assertNull(refusal(ChatDialect.INSTANCE, "data: {\"choices\":[]}\n\ndata: [DONE]\n\n"));
  }

  private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
      + "{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n";
  private static final String REST = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
      + "\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n"
      + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
      + "\"usage\":{\"output_tokens\":7}}\n\n"
      + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

  /** A tap that counts the bytes it is fed and passes them to a real one. */
  private static final class CountingTap implements UsageTap {
    final UsageTap tap;
    long fed;

    CountingTap(UsageTap tap) {
      this.tap = tap;
    }

    @Override
    public void feed(java.nio.ByteBuffer chunk) {
      fed += chunk.remaining();
      tap.feed(chunk);
    }

    @Override
    public void onEventJson(byte[] json) {
      tap.onEventJson(json);
    }

    @Override
    public String model() {
      return tap.model();
    }

    @Override
    public dev.relaycluster.protocol.usage.TokenUsage usage() {
      return tap.usage();
    }

    @Override
    public boolean sawEnd() {
      return tap.sawEnd();
    }

    @Override
    public boolean atEventBoundary() {
      return tap.atEventBoundary();
    }

    @Override
    public String errorType() {
      return tap.errorType();
    }

    @Override
    public byte[] errorJson() {
      return tap.errorJson();
    }
  }

  /**
   * The tap that read the first chunk reads the rest of the stream and not that chunk again, however the stream's
   * own chunks fall: usage is counted once, the stream's end is seen, and the client gets every byte unchanged.
   */
  @Test
  void theFirstChunksTapReadsTheRestOnceWhereverTheStreamsChunksFall() throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "first-chunk-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    try {
      Materializer materializer = Materializer.matFromSystem(system);
      String whole = START + REST;
      int first = START.length();
      // As peeked (the first element), split inside the first chunk, and across its end.
      for (int[] cuts : new int[][] {{first}, {10, first}, {first - 5, first + 9}, {first + 9}}) {
        FirstChunk.Read peeked = FirstChunk.read(AnthropicDialect.INSTANCE, of(START));
        assertNull(peeked.refusal());
        assertEquals(first, peeked.length());
        // The same read with a tap that counts what it is fed.
        CountingTap counting = new CountingTap(AnthropicDialect.INSTANCE.newTap());
        TapBytes.feed(counting, of(START));
        FirstChunk.Read read = new FirstChunk.Read(counting, peeked.length(), peeked.broken());
        List<ByteString> chunks = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
          chunks.add(of(whole.substring(from, cut)));
          from = cut;
        }
        chunks.add(of(whole.substring(from)));
        AtomicReference<StreamEnd> ended = new AtomicReference<>();
        ByteString passed = Source.from(chunks)
            .via(new UsageTapStage(read.tap(), read.length(), !read.broken(),
                failure -> of("event: error\n\n"), (end, firstChunkNanos, failure) -> ended.set(end)))
            .runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        String at = java.util.Arrays.toString(cuts);
        assertEquals(whole, passed.utf8String(), at);
        assertEquals(whole.length(), counting.fed, at);
        assertEquals(StreamEnd.COMPLETED, ended.get(), at);
        assertTrue(read.tap().sawEnd(), at);
        assertEquals(3, read.tap().usage().inputTokens(), at);
        assertEquals(7, read.tap().usage().outputTokens(), at);
      }
      // A first chunk the tap cannot read (a line over the decoder's limit): the tap reads nothing more, and the
      // stream still reaches the client whole, ended as upstream ended it.
      String huge = "data: " + "x".repeat(dev.relaycluster.protocol.sse.SseDecoder.MAX_LINE_BYTES + 1);
      FirstChunk.Read broken = FirstChunk.read(AnthropicDialect.INSTANCE, of(huge));
      assertTrue(broken.broken());
      assertNull(broken.refusal());
      String tail = "\n\nevent: ping\ndata: {}\n\n";
      AtomicReference<StreamEnd> ended = new AtomicReference<>();
      ByteString passed = Source.from(List.of(of(huge), of(tail)))
          .via(new UsageTapStage(broken.tap(), broken.length(), !broken.broken(), failure -> of("event: error\n\n"),
              (end, firstChunkNanos, failure) -> ended.set(end)))
          .runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(huge.length() + tail.length(), passed.size());
      assertEquals(StreamEnd.COMPLETED, ended.get());
    } finally {
      system.terminate();
    }
  }

  @Test
  void bytesThatCannotStartAnEventStreamAreNotOne() {
    assertTrue(FirstChunk.notAnEventStream(of("\u00ff\u0001 not an event stream \n\n")));
    assertTrue(FirstChunk.notAnEventStream(of("<html><body>502 Bad Gateway</body></html>")));
    assertTrue(FirstChunk.notAnEventStream(of("{\"type\":\"message\"}")));
    for (String start : List.of("event: message_start\n", "data: {\"a\":1}\n\n", ": keep-alive\n\n", "id: 7\n",
        "retry: 3000\n", "\r\n\r\ndata: x\n\n", "\ufeffdata: x\n\n", "da", "ev", "\n")) {
      assertFalse(FirstChunk.notAnEventStream(ByteString.fromString(start, java.nio.charset.StandardCharsets.UTF_8)),
          start);
    }
  }
}
