package dev.relaycluster.tracing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayTracingTest {
  @Test
  void tracingIsOnOnlyWhenTheVariablesNameAnExporterOrAnEndpoint() {
    assertFalse(RelayTracing.wanted(Map.of()), "off by default");
    assertTrue(RelayTracing.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));
    assertTrue(RelayTracing.wanted(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")));
    assertTrue(RelayTracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "otlp")));
    assertFalse(RelayTracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "none",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")), "traces exporter none wins");
    assertFalse(RelayTracing.wanted(Map.of("OTEL_SDK_DISABLED", "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));
  }

  @Test
  void withTracingOffARequestHasNoSpansAndPassesNoContext() {
    RequestSpans spans = RelayTracing.OFF.request("r1", "claude", "anthropic",
        name -> name.equals("traceparent") ? "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" : null);
    assertSame(RequestSpans.NONE, spans);
    assertTrue(spans.calling(1, "a", "claude-console").isEmpty());
    assertFalse(RelayTracing.OFF.enabled());
  }
}
