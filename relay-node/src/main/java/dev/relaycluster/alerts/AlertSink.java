package dev.relaycluster.alerts;

/** Where account entities send their alerts; delivery is asynchronous and never blocks the caller. */
@FunctionalInterface
public interface AlertSink {
  AlertSink NONE = alert -> { };

  void raise(AccountAlert alert);
}
