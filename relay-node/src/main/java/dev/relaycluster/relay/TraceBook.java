package dev.relaycluster.relay;

import dev.relaycluster.account.PoolView;
import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.tracing.RelayTracing;
import dev.relaycluster.tracing.RequestSpans;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The decision traces of the last {@code capacity} requests this node served, and of the last
 * {@code notableCapacity} that did more than succeed on their first try (refused, failed, failed over, a token
 * refreshed: what one looks a trace up for), oldest dropped first; a capacity of 0 keeps none. Each trace is
 * also told to the request's OpenTelemetry spans when tracing is on. A node under load serves thousands of
 * plain successes a second: kept for long, their traces would outlive young collections and be promoted
 * with everything they hold; kept for a short while they die young. The cluster-wide lookup, {@link #find},
 * asks every node's book (registered with the receptionist) and answers the one that holds the request.
 */
public final class TraceBook {
  public sealed interface Command extends CborSerializable {}

  /** Asks a node's book for one request's trace, as JSON text. */
  public record Get(String requestId, ActorRef<Found> replyTo) implements Command {}

  /** A node's answer: the trace as JSON, or null when that node does not hold it. */
  public record Found(String json) implements CborSerializable {}

  static final ServiceKey<Command> SERVICE = ServiceKey.create(Command.class, "trace-book");

  private final ActorSystem<?> system;
  private final String node;
  private final int capacity;
  private final PoolView pool;
  private final LastUsedClock clock;
  private final double maxCoolingShare;
  private final Duration askTimeout;
  private final Map<String, RouteTrace> traces;
  private final Map<String, RouteTrace> notable;
  private final RelayTracing tracing;

  public TraceBook(ActorSystem<?> system, String node, int capacity, int notableCapacity, PoolView pool,
      LastUsedClock clock, double maxCoolingShare, Duration askTimeout, RelayTracing tracing) {
    this.tracing = tracing;
    this.system = system;
    this.node = node;
    this.capacity = Math.max(0, capacity);
    this.pool = pool;
    this.clock = clock;
    this.maxCoolingShare = maxCoolingShare;
    this.askTimeout = askTimeout;
    this.traces = lastOf(this.capacity);
    this.notable = lastOf(this.capacity == 0 ? 0 : Math.max(0, notableCapacity));
    ActorRef<Command> book = system.systemActorOf(behavior(), "trace-book", Props.empty());
    system.receptionist().tell(Receptionist.register(SERVICE, book));
  }

  /** A new trace for this call, kept in the book (a trace that is not kept when the capacity is 0). */
  RouteTrace start(RelayCall call) {
    RequestSpans spans = tracing.request(call.requestId(), call.pool(),
        call.dialect().id().name().toLowerCase(java.util.Locale.ROOT), name -> header(call, name));
    spans.model(call.request().model());
    if (capacity == 0) {
      // Not kept, but its short form still goes into the request's log line.
      return new RouteTrace(node, call, false, spans);
    }
    RouteTrace trace = new RouteTrace(node, call, true, spans, this::keepLonger);
    synchronized (traces) {
      traces.put(call.requestId(), trace);
    }
    return trace;
  }

  private void keepLonger(RouteTrace trace) {
    synchronized (notable) {
      notable.put(trace.requestId(), trace);
    }
  }

  /** A map that keeps its last {@code capacity} entries. */
  private static Map<String, RouteTrace> lastOf(int capacity) {
    return new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, RouteTrace> eldest) {
        return size() > capacity;
      }
    };
  }

  private static String header(RelayCall call, String lowerCaseName) {
    for (org.apache.pekko.http.javadsl.model.HttpHeader h : call.headers()) {
      if (h.is(lowerCaseName)) {
        return h.value();
      }
    }
    return null;
  }

  /** This node's trace of a request, as JSON text. */
  public Optional<String> local(String requestId) {
    RouteTrace trace;
    synchronized (traces) {
      trace = traces.get(requestId);
    }
    if (trace == null) {
      synchronized (notable) {
        trace = notable.get(requestId);
      }
    }
    if (trace == null) {
      return Optional.empty();
    }
    return Optional.of(trace.toJson(id -> pool.find(id).map(e -> e.name()).orElse(null), maxCoolingShare,
        clock::lastUsedAt).toString());
  }

  /** The trace of a request from whichever node holds it; empty when none does. */
  public CompletionStage<Optional<String>> find(String requestId) {
    Optional<String> here = local(requestId);
    if (here.isPresent()) {
      return CompletableFuture.completedFuture(here);
    }
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            r -> Receptionist.find(SERVICE, r), askTimeout, system.scheduler())
        .thenCompose(listing -> {
          List<CompletableFuture<Found>> asks = listing.getServiceInstances(SERVICE).stream()
              .map(book -> AskPattern.<Command, Found>ask(book, r -> new Get(requestId, r), askTimeout,
                      system.scheduler()).toCompletableFuture()
                  .exceptionally(t -> new Found(null)))
              .toList();
          return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done -> asks.stream()
              .map(CompletableFuture::join).filter(f -> f.json() != null).map(Found::json).findFirst());
        });
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Get.class, get -> {
          get.replyTo().tell(new Found(local(get.requestId()).orElse(null)));
          return Behaviors.same();
        })
        .build();
  }
}
