package dev.relaycluster.reliability;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several clients streaming at once, one request after another each, spread over the nodes round-robin. A
 * connection a node refuses (nothing sent: the node is gone) goes to the next node, as a balancer would send
 * it; that is counted, not recorded as a request. After an answer that is not a whole stream a client waits
 * {@link #PAUSE_AFTER_FAILURE} before its next request, as a client backing off would.
 */
final class StreamingLoad {
  static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(200);

  private final List<String> nodes;
  private final String apiKey;
  private final int clients;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger refusedConnections = new AtomicInteger();
  private final ConcurrentLinkedQueue<StreamOutcome> outcomes = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  private StreamingLoad(List<String> nodes, String apiKey, int clients) {
    this.nodes = List.copyOf(nodes);
    this.apiKey = apiKey;
    this.clients = clients;
  }

  static StreamingLoad start(List<String> nodes, String apiKey, int clients) {
    StreamingLoad load = new StreamingLoad(nodes, apiKey, clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> load.run(client), "outage-client-" + c);
      t.setDaemon(true);
      load.threads.add(t);
      t.start();
    }
    return load;
  }

  private void run(int client) {
    HttpClient http = StreamedRequest.client();
    String session = UUID.randomUUID().toString();
    int next = client % nodes.size();
    try {
      while (running.get()) {
        StreamOutcome outcome = null;
        for (int tries = 0; tries < nodes.size() && outcome == null; tries++) {
          int node = next;
          next = (next + 1) % nodes.size();
          try {
            outcome = StreamedRequest.send(http, nodes.get(node), apiKey, session, client, node);
          } catch (ConnectException refused) {
            refusedConnections.incrementAndGet();
          }
        }
        if (outcome == null) {
          Thread.sleep(PAUSE_AFTER_FAILURE.toMillis());
          continue;
        }
        outcomes.add(outcome);
        if (!outcome.complete()) {
          Thread.sleep(PAUSE_AFTER_FAILURE.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether every client has had {@code streak} whole streams in a row among the requests it started at or
   * after {@code sinceNanos}, the last of them its latest answer.
   */
  boolean everyClientSucceedsSince(long sinceNanos, int streak) {
    int[] run = new int[clients];
    for (StreamOutcome o : outcomes) {
      if (o.startNanos() >= sinceNanos) {
        run[o.client()] = o.complete() ? run[o.client()] + 1 : 0;
      }
    }
    for (int r : run) {
      if (r < streak) {
        return false;
      }
    }
    return true;
  }

  /** Stops the clients and waits for their last requests to end. */
  List<StreamOutcome> stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(StreamedRequest.BODY_LIMIT.toMillis() + 35_000);
    }
    return List.copyOf(outcomes);
  }

  int refusedConnections() {
    return refusedConnections.get();
  }
}
