package dev.relaycluster.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Counts the node's log lines while the fuzzer runs (without keeping them): warnings, errors, and errors
 * that carry a stack trace, with the first few of the latter for the report.
 */
final class LogTally extends AppenderBase<ILoggingEvent> {
  private static final int KEPT = 10;
  final AtomicInteger warnings = new AtomicInteger();
  final AtomicInteger errors = new AtomicInteger();
  final AtomicInteger errorsWithTrace = new AtomicInteger();
  private final List<String> firstErrors = new ArrayList<>();

  /** Starts counting everything the root logger sees. */
  static LogTally attach() {
    LogTally tally = new LogTally();
    tally.setName("fuzz-log-tally");
    tally.start();
    root().addAppender(tally);
    return tally;
  }

  void detach() {
    root().detachAppender(this);
    stop();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      errors.incrementAndGet();
      if (event.getThrowableProxy() != null) {
        errorsWithTrace.incrementAndGet();
      }
      synchronized (firstErrors) {
        if (firstErrors.size() < KEPT) {
          firstErrors.add(event.getLoggerName() + ": " + event.getFormattedMessage()
              + (event.getThrowableProxy() == null ? "" : " / " + event.getThrowableProxy().getClassName() + ": "
                  + event.getThrowableProxy().getMessage()));
        }
      }
    } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      warnings.incrementAndGet();
    }
  }

  List<String> firstErrors() {
    synchronized (firstErrors) {
      return List.copyOf(firstErrors);
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
