package dev.relaycluster.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The spans of one relayed request: {@code relay.request} (server), with children {@code relay.admission},
 * one {@code relay.route} and one {@code relay.upstream} (client) per try, and {@code relay.settlement}.
 * Told by the request's path as it goes; the request's span ends after its settlement (or at a refusal).
 * {@link #NONE} does nothing.
 */
public final class RequestSpans {
  public static final RequestSpans NONE = new RequestSpans();

  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("relay.request_id");
  private static final AttributeKey<String> POOL = AttributeKey.stringKey("relay.pool");
  private static final AttributeKey<String> DIALECT = AttributeKey.stringKey("relay.dialect");
  private static final AttributeKey<String> ACCOUNT = AttributeKey.stringKey("relay.account.id");
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("relay.attempt");
  private static final AttributeKey<String> VERDICT = AttributeKey.stringKey("relay.verdict");
  private static final AttributeKey<String> ROUTED_BY = AttributeKey.stringKey("relay.routed_by");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("relay.outcome");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<Long> INPUT = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT = AttributeKey.longKey("gen_ai.usage.output_tokens");

  private static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Function<String, String> carrier) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(Function<String, String> carrier, String key) {
      return carrier == null ? null : carrier.apply(key);
    }
  };

  private Tracer tracer;
  private TextMapPropagator propagator;
  private boolean propagateUpstream;
  private Span request;
  private Context context;
  private Span admission;
  private Span route;
  private Span upstream;
  private Span settlement;

  private RequestSpans() {}

  static RequestSpans start(Tracer tracer, TextMapPropagator propagator, boolean propagateUpstream, String requestId,
      String pool, String dialect, Function<String, String> header) {
    RequestSpans s = new RequestSpans();
    s.tracer = tracer;
    s.propagator = propagator;
    s.propagateUpstream = propagateUpstream;
    Context parent = propagator.extract(Context.root(), header, HEADERS);
    s.request = tracer.spanBuilder("relay.request").setParent(parent).setSpanKind(SpanKind.SERVER)
        .setAttribute(REQUEST_ID, requestId).setAttribute(POOL, pool).setAttribute(DIALECT, dialect).startSpan();
    s.context = parent.with(s.request);
    s.admission = s.child("relay.admission", SpanKind.INTERNAL);
    return s;
  }

  private Span child(String name, SpanKind kind) {
    return tracer.spanBuilder(name).setParent(context).setSpanKind(kind).startSpan();
  }

  private boolean off() {
    return request == null;
  }

  public synchronized void model(String model) {
    if (!off() && model != null) {
      request.setAttribute(MODEL, model);
    }
  }

  /** Admission ended: admitted, or refused with this status (which ends the request too). */
  public synchronized void admitted(boolean admitted, int status, String why) {
    if (off()) {
      return;
    }
    end(admission, admitted ? null : why);
    admission = null;
    if (!admitted) {
      request.setAttribute(STATUS, (long) status).setAttribute(OUTCOME, "REFUSED");
      request.end();
    }
  }

  public synchronized void routing(int attempt) {
    if (off()) {
      return;
    }
    endOpen();
    route = child("relay.route", SpanKind.INTERNAL);
    route.setAttribute(ATTEMPT, (long) attempt);
  }

  public synchronized void routed(String how, String accountId) {
    if (!off() && route != null) {
      route.setAttribute(ROUTED_BY, how);
      if (accountId != null) {
        route.setAttribute(ACCOUNT, accountId);
      }
    }
  }

  public synchronized void leased(boolean granted, String why) {
    if (!off() && route != null) {
      end(route, granted ? null : why);
      route = null;
    }
  }

  /** A call to upstream starts on this try; the headers that carry the relay's context upstream, if allowed. */
  public synchronized Map<String, String> calling(int attempt, String accountId, String platform) {
    if (off()) {
      return Map.of();
    }
    endOpen();
    upstream = child("relay.upstream", SpanKind.CLIENT);
    upstream.setAttribute(ATTEMPT, (long) attempt).setAttribute(ACCOUNT, accountId)
        .setAttribute("relay.platform", platform);
    if (!propagateUpstream) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    propagator.inject(context.with(upstream), out, Map::put);
    return out;
  }

  public synchronized void answered(Integer status, String verdict) {
    if (off() || upstream == null) {
      return;
    }
    if (status != null) {
      upstream.setAttribute(STATUS, (long) status);
    }
    upstream.setAttribute(VERDICT, verdict);
    end(upstream, "success".equals(verdict) || "answered by the relay".equals(verdict) ? null : verdict);
    upstream = null;
  }

  /** The request ended with this record; its settlement starts. */
  public synchronized void ended(int status, String outcome, long inputTokens, long outputTokens) {
    if (off()) {
      return;
    }
    endOpen();
    request.setAttribute(STATUS, (long) status).setAttribute(OUTCOME, outcome)
        .setAttribute(INPUT, inputTokens).setAttribute(OUTPUT, outputTokens);
    if (status >= 500) {
      request.setStatus(StatusCode.ERROR, outcome);
    }
    settlement = child("relay.settlement", SpanKind.INTERNAL);
  }

  /** The usage record landed (or was kept on disk to be sent again): the request's span ends. */
  public synchronized void settled(boolean landed) {
    if (off() || settlement == null) {
      return;
    }
    end(settlement, landed ? null : "kept on disk to be sent again");
    settlement = null;
    request.end();
  }

  private void endOpen() {
    for (Span s : new Span[] {admission, route, upstream}) {
      if (s != null) {
        s.end();
      }
    }
    admission = null;
    route = null;
    upstream = null;
  }

  private static void end(Span span, String error) {
    if (span == null) {
      return;
    }
    if (error != null) {
      span.setStatus(StatusCode.ERROR, error);
    }
    span.end();
  }
}
