package dev.relaycluster.upstream.direct;

import static dev.relaycluster.upstream.direct.ScriptedUpstream.ascii;
import static dev.relaycluster.upstream.direct.ScriptedUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.upstream.PeekableBody;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A streamed answer's first bytes looked at before its one stream runs (what the relay waits for before it
 * answers the client), against real sockets: the stream still starts with them, an answer not passed on gives
 * its connection up, and a body that breaks off or ends before a byte says so.
 */
class PeekableBodyTest {
  private static final String HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
  private static ActorSystem<Void> system;
  private static Materializer materializer;
  private DirectHttpClient client;
  private ScriptedUpstream upstream;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create(Behaviors.empty(), "peekable-body-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    materializer = Materializer.matFromSystem(system);
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @AfterEach
  void close() throws Exception {
    if (client != null) {
      client.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private HttpResponse send() throws Exception {
    client = new DirectHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30),
        system.executionContext(), 1);
    HttpRequest post = HttpRequest.create(upstream.url("/v1/messages")).withMethod(HttpMethods.POST)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{}"));
    return client.send(post).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static PeekableBody peekable(HttpResponse response) {
    return PeekableBody.of(response).orElseThrow(() -> new AssertionError("a streamed answer is peekable"));
  }

  private static Optional<ByteString> first(PeekableBody body) throws Exception {
    return body.firstBytes().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theFirstBytesCanBeSeenBeforeTheStreamRunsAndTheStreamStillStartsWithThem() throws Exception {
    CountDownLatch looked = new CountDownLatch(1);
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii(HEAD));
      out.write(chunk("event: message_start\ndata: {}\n\n"));
      out.flush();
      assertTrue(looked.await(10, TimeUnit.SECONDS));
      out.write(chunk("event: message_stop\ndata: {}\n\n"));
      out.write(ascii("0\r\n\r\n"));
      return true;
    });
    HttpResponse response = send();
    assertEquals("event: message_start\ndata: {}\n\n", first(peekable(response)).orElseThrow().utf8String());
    assertEquals("event: message_start\ndata: {}\n\n", first(peekable(response)).orElseThrow().utf8String(),
        "looking again sees the same bytes: looking takes nothing");
    looked.countDown();
    String all = response.entity().getDataBytes()
        .runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
        .toCompletableFuture().get(10, TimeUnit.SECONDS).utf8String();
    assertEquals("event: message_start\ndata: {}\n\nevent: message_stop\ndata: {}\n\n", all);
  }

  @Test
  void anAnswerNotPassedOnGivesItsConnectionUp() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii(HEAD));
      out.write(chunk("event: error\ndata: {\"type\":\"error\"}\n\n"));
      out.flush();
      if (s.getInputStream().read() < 0) {
        closed.countDown();
      }
      return false;
    });
    PeekableBody body = peekable(send());
    assertTrue(first(body).isPresent());
    body.abandon();
    assertTrue(closed.await(5, TimeUnit.SECONDS), "the upstream connection is closed");
  }

  @Test
  void aBodyThatBreaksOffBeforeItsFirstByteFailsTheWait() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii(HEAD));
      out.flush();
      return false;
    });
    ExecutionException broke = assertThrows(ExecutionException.class, () -> first(peekable(send())));
    assertTrue(broke.getCause() instanceof java.io.IOException, broke.getCause().toString());
  }

  @Test
  void aBodyThatEndsWithoutAByteIsEmpty() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii(HEAD + "0\r\n\r\n"));
      out.flush();
      return true;
    });
    assertEquals(Optional.empty(), first(peekable(send())));
  }

  @Test
  void anotherEntityOnTheSameAnswerIsNotPeekable() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii(HEAD));
      out.write(chunk("data: {}\n\n"));
      out.write(ascii("0\r\n\r\n"));
      return true;
    });
    HttpResponse response = send();
    HttpResponse decoded = response.withEntity(HttpEntities.createChunked(ContentTypes.TEXT_PLAIN_UTF8,
        org.apache.pekko.stream.javadsl.Source.from(List.of(ByteString.fromString("x")))));
    assertTrue(PeekableBody.of(response).isPresent());
    assertEquals(Optional.empty(), PeekableBody.of(decoded), "a decoded body is another entity");
    response.discardEntityBytes(materializer);
  }
}
