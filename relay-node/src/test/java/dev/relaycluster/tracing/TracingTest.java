package dev.relaycluster.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.relaycluster.testing.AdminClient;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.NodeProcess;
import dev.relaycluster.testing.OtlpReceiver;
import dev.relaycluster.testing.RelayCall;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A node in its own process with the standard OTEL_* variables pointing at a test OTLP receiver: one request
 * that fails over from one account to another, sent with a client's traceparent, arrives as one trace whose
 * spans have the right parents, and upstream receives the relay's context (passing it on is allowed here).
 */
class TracingTest {
  private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";

  @Test
  void aRelayedRequestIsOneTraceUnderTheClientsSpanWithAChildPerStep() throws Exception {
    Path dir = Path.of("target", "tracing-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    Files.createDirectories(dir);
    try (OtlpReceiver receiver = new OtlpReceiver(); MockAnthropic mock = new MockAnthropic()) {
      Map<String, String> env = new HashMap<>();
      env.put("HOST", "127.0.0.1");
      env.put("CLUSTER_HOST", "127.0.0.1");
      env.put("RELAY_DATA_DIR", dir.resolve("data").toString());
      env.put("ADMIN_USERNAME", AdminClient.ADMIN_USER);
      env.put("ADMIN_PASSWORD", AdminClient.ADMIN_PASSWORD);
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
      env.put("RELAY_TRACE_PROPAGATE_UPSTREAM", "true");
      NodeProcess node = new NodeProcess(env, NodeProcess.freePort(), NodeProcess.freePort(), dir.resolve("node.log"));
      try {
        node.start();
        AdminClient admin = awaitHealthy(node);
        String busyKey = "sk-busy-" + UUID.randomUUID();
        admin.createConsoleAccount("busy", mock.baseUrl(), busyKey, 1);
        admin.createConsoleAccount("calm", mock.baseUrl(), "sk-calm-" + UUID.randomUUID(), 2);
        mock.script(busyKey, MockAnthropic.Scripted.overloaded());
        String key = admin.createKey("traced", 0).get("key").asText();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node.baseUrl() + "/api/v1/messages"))
            .header("x-api-key", key).header("content-type", "application/json")
            .header("anthropic-version", "2023-06-01")
            .header("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01")
            .POST(HttpRequest.BodyPublishers.ofString(RelayCall.body(true, "claude-sonnet-4-5-20250929"))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());

        List<Span> spans = awaitSpans(receiver, 7);
        Span request = one(spans, "relay.request");
        assertEquals(CLIENT_TRACE, hex(request.getTraceId()), "the trace the client started");
        assertEquals(CLIENT_SPAN, hex(request.getParentSpanId()), "under the client's span");
        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, request.getKind());
        for (Span s : spans) {
          assertEquals(CLIENT_TRACE, hex(s.getTraceId()), s.getName());
          if (!s.getName().equals("relay.request")) {
            assertEquals(hex(request.getSpanId()), hex(s.getParentSpanId()), s.getName() + " is a child of the request");
          }
        }
        assertEquals(1, named(spans, "relay.admission").size());
        assertEquals(2, named(spans, "relay.route").size(), "one route per try");
        List<Span> upstream = named(spans, "relay.upstream");
        assertEquals(2, upstream.size(), "one upstream call per try");
        assertTrue(upstream.stream().allMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT));
        assertEquals(1, named(spans, "relay.settlement").size());
        assertTrue(upstream.stream().anyMatch(s -> attribute(s, "http.response.status_code").equals("529")));
        assertEquals("200", attribute(request, "http.response.status_code"));

        // Upstream got the relay's own context: the client's trace, the relay's upstream span as parent.
        List<String> sent = mock.received().stream().map(r -> r.header("traceparent")).toList();
        assertEquals(2, sent.size());
        for (String traceparent : sent) {
          assertTrue(traceparent.startsWith("00-" + CLIENT_TRACE + "-"), traceparent);
          String parent = traceparent.split("-")[2];
          assertTrue(upstream.stream().anyMatch(s -> hex(s.getSpanId()).equals(parent)), traceparent);
        }
      } finally {
        node.terminate(60);
      }
    }
  }

  private static List<Span> awaitSpans(OtlpReceiver receiver, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (receiver.spans().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(count, receiver.spans().size(), "spans: " + receiver.spans().stream().map(Span::getName).toList());
    return receiver.spans();
  }

  private static List<Span> named(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static Span one(List<Span> spans, String name) {
    List<Span> found = named(spans, name);
    assertEquals(1, found.size(), name);
    return found.get(0);
  }

  private static String attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).findFirst()
        .map(a -> a.getValue().hasIntValue() ? Long.toString(a.getValue().getIntValue()) : a.getValue().getStringValue())
        .orElse("");
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static AdminClient awaitHealthy(NodeProcess node) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(node.alive(), "the node process ended; see " + node.log());
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return new AdminClient(node.baseUrl());
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the node did not become healthy; see " + node.log());
  }
}
