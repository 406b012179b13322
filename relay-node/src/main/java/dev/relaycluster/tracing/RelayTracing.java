package dev.relaycluster.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * OpenTelemetry tracing of relayed requests: off (a no-op that costs nothing per request) unless the standard
 * {@code OTEL_*} variables name an exporter or an OTLP endpoint and {@code OTEL_SDK_DISABLED} is not true;
 * then the SDK is configured from them as every OpenTelemetry SDK is (OTLP over HTTP/protobuf, service
 * name {@code relay-cluster} unless {@code OTEL_SERVICE_NAME} says otherwise; metrics and logs are not
 * exported this way, Prometheus has the metrics). A client's W3C {@code traceparent} becomes the parent of
 * the request's span; upstream gets the relay's own context only when {@code propagateUpstream}.
 */
public final class RelayTracing implements AutoCloseable {
  public static final RelayTracing OFF = new RelayTracing(null, OpenTelemetry.noop(), false);

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final boolean propagateUpstream;
  private final TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();

  private RelayTracing(OpenTelemetrySdk sdk, OpenTelemetry otel, boolean propagateUpstream) {
    this.sdk = sdk;
    this.tracer = otel.getTracer("dev.relaycluster.relay");
    this.propagateUpstream = propagateUpstream;
  }

  /** Tracing as the environment asks; {@link #OFF} when it names no exporter or endpoint. */
  public static RelayTracing fromEnvironment(Map<String, String> env, boolean propagateUpstream) {
    if (!wanted(env)) {
      return OFF;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "relay-cluster");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    // The exporter sends with the JDK's HTTP client: OTLP over HTTP (port 4318), not gRPC.
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    try {
      OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> defaults)
          .build()
          .getOpenTelemetrySdk();
      return new RelayTracing(sdk, sdk, propagateUpstream);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException("OpenTelemetry tracing cannot be set up from the OTEL_* variables: "
          + cause.getMessage() + " (OTLP over HTTP is supported, OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)", e);
    }
  }

  /** Whether the variables turn tracing on. */
  static boolean wanted(Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", ""))) {
      return false;
    }
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").strip();
    if (!exporter.isEmpty()) {
      return !exporter.equalsIgnoreCase("none");
    }
    return !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
        || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
  }

  public boolean enabled() {
    return sdk != null;
  }

  /** The spans of one request; {@code header} reads the client's request headers by lower-case name. */
  public RequestSpans request(String requestId, String pool, String dialect, Function<String, String> header) {
    if (sdk == null) {
      return RequestSpans.NONE;
    }
    return RequestSpans.start(tracer, propagator, propagateUpstream, requestId, pool, dialect, header);
  }

  @Override
  public void close() {
    if (sdk != null) {
      sdk.close();
    }
  }
}
