package dev.relaycluster.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The {@code relay.requests} lines of a node running in the test's JVM, as their key-value pairs: the logger is
 * switched on (INFO) while the capture is open, and restored when it closes.
 */
public final class RequestLineCapture implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("relay.requests");
  private final Level before = logger.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public RequestLineCapture() {
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
  }

  /** The line of {@code requestId}, once it is logged (its request settled); fails after 20 s. */
  public Map<String, String> await(String requestId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (Map<String, String> line : lines()) {
        if (requestId.equals(line.get("requestId"))) {
          return line;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no request line for " + requestId + " in " + lines());
  }

  public List<Map<String, String>> lines() {
    List<ILoggingEvent> events;
    synchronized (appender) {
      events = List.copyOf(appender.list);
    }
    return events.stream().map(e -> {
      Map<String, String> kv = new LinkedHashMap<>();
      if (e.getKeyValuePairs() != null) {
        e.getKeyValuePairs().forEach(p -> kv.put(p.key, String.valueOf(p.value)));
      }
      return kv;
    }).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(before);
    appender.stop();
  }
}
