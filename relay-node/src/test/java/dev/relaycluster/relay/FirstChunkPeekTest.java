package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.upstream.PeekableBody;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wait for a stream's first bytes on an answer whose body can be looked at first: the answer is passed on as
 * it came (no stream of the wait's own), and a body that sends nothing in time or breaks off is given up.
 */
class FirstChunkPeekTest {
  private static ActorSystem<Void> system;
  private static Materializer materializer;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create(Behaviors.empty(), "first-chunk-peek-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    materializer = Materializer.matFromSystem(system);
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  /** A body that counts how often it was given up and whose stream must never run. */
  private static final class Body implements PeekableBody {
    final ResponseEntity entity = HttpEntities.createChunked(ContentTypes.APPLICATION_JSON,
        Source.<ByteString>failed(new AssertionError("the wait runs no stream")));
    final CompletableFuture<Optional<ByteString>> first = new CompletableFuture<>();
    final AtomicInteger abandoned = new AtomicInteger();

    @Override
    public ResponseEntity entity() {
      return entity;
    }

    @Override
    public CompletionStage<Optional<ByteString>> firstBytes() {
      return first;
    }

    @Override
    public void abandon() {
      abandoned.incrementAndGet();
    }

    HttpResponse answer() {
      return HttpResponse.create().withEntity(entity).addAttribute(PeekableBody.KEY, this);
    }
  }

  private static Optional<FirstChunk.Peeked> await(HttpResponse answer, Duration timeout) throws Exception {
    return FirstChunk.await(answer, timeout, materializer).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theAnswerIsPassedOnAsItCameWithTheBytesLookedAt() throws Exception {
    Body body = new Body();
    HttpResponse answer = body.answer();
    body.first.complete(Optional.of(ByteString.fromString("event: message_start\n\n")));
    FirstChunk.Peeked peeked = await(answer, Duration.ofSeconds(5)).orElseThrow();
    assertSame(answer, peeked.response());
    assertEquals("event: message_start\n\n", peeked.first().utf8String());
    assertEquals(0, body.abandoned.get());
    peeked.cancelRest(materializer);
    assertEquals(1, body.abandoned.get(), "an answer not passed on gives its body up");
  }

  @Test
  void nothingInTimeGivesTheBodyUp() throws Exception {
    Body body = new Body();
    assertTrue(await(body.answer(), Duration.ofMillis(100)).isEmpty());
    assertEquals(1, body.abandoned.get());
  }

  @Test
  void aBodyThatBrokeOffOrEndedEmptyIsNoAnswer() throws Exception {
    Body broken = new Body();
    broken.first.completeExceptionally(new java.io.IOException("upstream closed the connection mid-answer"));
    assertTrue(await(broken.answer(), Duration.ofSeconds(5)).isEmpty());
    Body empty = new Body();
    empty.first.complete(Optional.empty());
    assertTrue(await(empty.answer(), Duration.ofSeconds(5)).isEmpty());
  }
}
