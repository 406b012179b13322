package dev.relaycluster.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.testing.Fixtures;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the SSE decoder and the usage taps of the four client dialects with arbitrary
 * stream bytes split at arbitrary points: the input's first byte picks the tap, its second seeds where the bytes
 * are cut (pieces of 1 to 64 bytes, some in direct buffers), the rest is the stream. The events decoded and the
 * model, usage, end, error and event-boundary a tap reports must be the same whether the bytes come whole or in
 * pieces, and nothing may be thrown.
 */
class StreamTapFuzzTest {
  static final List<Dialect> DIALECTS = List.of(AnthropicDialect.INSTANCE, ResponsesDialect.INSTANCE,
      ChatDialect.INSTANCE, GeminiDialect.INSTANCE);

  static Stream<byte[]> seeds() {
    List<byte[]> all = new ArrayList<>();
    all.add(withSplit(0, Fixtures.anthropicStream()));
    all.add(withSplit(0, Fixtures.bytes("convert/anthropic/decoder/error.sse")));
    all.add(withSplit(1, Fixtures.bytes("fixtures/openai-responses-stream.sse")));
    all.add(withSplit(1, Fixtures.bytes("convert/responses/failed.sse")));
    all.add(withSplit(2, Fixtures.bytes("convert/chat/openai-error-midstream.sse")));
    all.add(withSplit(2, Fixtures.bytes("convert/chat/compat-reasoning-crlf.sse")));
    all.add(withSplit(3, Fixtures.bytes("fixtures/gemini-stream.sse")));
    all.add(withSplit(3, Fixtures.bytes("convert/gemini/error.sse")));
    return all.stream();
  }

  private static byte[] withSplit(int tap, byte[] stream) {
    return Internals.seed(tap, Internals.seed(7, stream));
  }

  @MethodSource("seeds")
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void piecesReadAsTheWhole(byte[] input) {
    Dialect dialect = DIALECTS.get(Internals.selector(input) % DIALECTS.size());
    byte[] rest = Internals.rest(input);
    long splitSeed = Internals.selector(rest);
    byte[] stream = Internals.rest(rest);
    List<ByteBuffer> pieces = pieces(stream, new SplittableRandom(splitSeed));

    SseDecoder whole = new SseDecoder();
    List<SseEvent> wholeEvents = new ArrayList<>(whole.feed(stream, 0, stream.length));
    SseDecoder split = new SseDecoder();
    List<SseEvent> splitEvents = new ArrayList<>();
    for (ByteBuffer piece : pieces) {
      splitEvents.addAll(split.feed(piece));
    }
    check("the decoded events", wholeEvents, splitEvents);
    check("the decoder's event boundary", whole.atEventBoundary(), split.atEventBoundary());

    UsageTap oneGo = dialect.newTap();
    oneGo.feed(ByteBuffer.wrap(stream));
    UsageTap inPieces = dialect.newTap();
    for (ByteBuffer piece : pieces) {
      int position = piece.position();
      inPieces.feed(piece);
      check("the piece's position", position, piece.position());
    }
    check("the model", oneGo.model(), inPieces.model());
    check("the usage", oneGo.usage(), inPieces.usage());
    check("the end", oneGo.sawEnd(), inPieces.sawEnd());
    check("the error type", oneGo.errorType(), inPieces.errorType());
    check("the tap's event boundary", oneGo.atEventBoundary(), inPieces.atEventBoundary());
    if (!Arrays.equals(oneGo.errorJson(), inPieces.errorJson())) {
      throw new AssertionError("the error JSON differs in pieces");
    }
  }

  private static List<ByteBuffer> pieces(byte[] stream, SplittableRandom random) {
    List<ByteBuffer> pieces = new ArrayList<>();
    for (int i = 0; i < stream.length; ) {
      int n = Math.min(stream.length - i, 1 + random.nextInt(64));
      ByteBuffer piece;
      if (random.nextInt(4) == 0) {
        piece = ByteBuffer.allocateDirect(n);
        piece.put(stream, i, n).flip();
      } else {
        // A slice of a larger array with its own position, as a ByteString's buffers are.
        piece = ByteBuffer.wrap(stream, i, n);
      }
      pieces.add(piece);
      i += n;
    }
    return pieces;
  }

  private static void check(String what, Object whole, Object split) {
    if (!Objects.equals(whole, split)) {
      throw new AssertionError(what + " differs in pieces: " + whole + " whole, " + split + " in pieces");
    }
  }
}
