package dev.relaycluster.alerts;

import dev.relaycluster.config.RelaySettings;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to targets off every actor and stream thread: HTTP channels with the JDK
 * HttpClient on a small executor of its own, SMTP on the same executor. A failed attempt (no answer,
 * non-2xx, or an error in the channel's answer body) is retried with exponential back-off up to the
 * configured number of attempts; then one warning line says which alert did not reach which target
 * and why, without any secret.
 */
public final class AlertDelivery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertDelivery.class);

  private final BackoffPolicy backoff;
  private final Duration timeout;
  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private final HttpClient http;

  public AlertDelivery(RelaySettings.Alerts settings) {
    this.backoff = new BackoffPolicy(settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff());
    this.timeout = settings.requestTimeout();
    this.executor = Executors.newFixedThreadPool(4, daemon("relay-alerts"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("relay-alerts-timer"));
    // HTTP/1.1: one small POST per alert gains nothing from HTTP/2, and plain-http receivers need no h2c upgrade.
    this.http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Delivers with retries; the stage completes when delivered or given up. */
  public CompletionStage<DeliveryResult> deliver(WebhookTarget target, AccountAlert alert) {
    CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
    run(target, alert, 1, backoff.maxAttempts(), result);
    return result;
  }

  /** One attempt, no retry: the admin's "send a test" wants its answer now. */
  public CompletionStage<DeliveryResult> deliverOnce(WebhookTarget target, AccountAlert alert) {
    CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
    run(target, alert, 1, 1, result);
    return result;
  }

  private void run(WebhookTarget target, AccountAlert alert, int attempt, int maxAttempts,
      CompletableFuture<DeliveryResult> result) {
    // Each attempt starts on the delivery executor: building, signing and even name resolution stay
    // off the caller's thread (an actor's, when an account raises an alert) and off the timer.
    CompletableFuture<Optional<String>> outcome;
    try {
      outcome = CompletableFuture.supplyAsync(() -> attempt(target, alert), executor).thenCompose(f -> f);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.complete(new DeliveryResult(false, attempt - 1, "the node is shutting down"));
      return;
    }
    outcome.whenComplete((failure, thrown) -> {
      Optional<String> reason = thrown != null ? Optional.of(describe(thrown)) : failure;
      if (reason.isEmpty()) {
        result.complete(new DeliveryResult(true, attempt, null));
        return;
      }
      String why = scrub(reason.get(), target);
      if (attempt >= maxAttempts) {
        if (alert.kind() == AlertKind.TEST) {
          log.info("test alert not delivered to target '{}' ({}, {}): {}", target.name(), target.channel().wireName(),
              target.id(), why);
        } else {
          log.warn("alert {} for account {} not delivered to target '{}' ({}, {}) after {} attempts: {}",
              AlertText.kindName(alert.kind()), alert.accountId(), target.name(), target.channel().wireName(),
              target.id(), attempt, why);
        }
        result.complete(new DeliveryResult(false, attempt, why));
        return;
      }
      Duration wait = backoff.delayAfter(attempt);
      log.debug("alert delivery to target {} failed (attempt {}): {}; retrying in {} ms", target.id(), attempt, why,
          wait.toMillis());
      try {
        timer.schedule(() -> run(target, alert, attempt + 1, maxAttempts, result), wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        result.complete(new DeliveryResult(false, attempt, "the node is shutting down"));
      }
    });
  }

  /** Empty when the channel accepted the alert, else why not. Runs on the delivery executor. */
  private CompletableFuture<Optional<String>> attempt(WebhookTarget target, AccountAlert alert) {
    try {
      if (target.channel() == Channel.SMTP) {
        try {
          SmtpSender.send(target, alert, timeout);
          return CompletableFuture.completedFuture(Optional.empty());
        } catch (jakarta.mail.MessagingException e) {
          return CompletableFuture.completedFuture(Optional.of("SMTP: " + smtpReason(e)));
        }
      }
      ChannelRequest request = ChannelRequests.build(target, alert, System.currentTimeMillis());
      HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(timeout)
          .header("content-type", "application/json; charset=utf-8")
          .header("user-agent", "relay-cluster-alerts")
          .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
      request.headers().forEach(b::header);
      return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
          .thenApply(r -> ChannelAnswers.failure(target.channel(), r.statusCode(), r.body()));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Optional.of(describe(e)));
    }
  }

  private String describe(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof HttpTimeoutException) {
      return "no answer within " + timeout.toSeconds() + " s";
    }
    if (t instanceof ConnectException) {
      return "cannot connect (refused or unreachable)";
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private static String smtpReason(Exception e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()).strip());
    for (Throwable c = e.getCause(); c != null && sb.length() < 300; c = c.getCause()) {
      sb.append(" (").append(c.getClass().getSimpleName()).append(c.getMessage() == null ? "" : ": " + c.getMessage())
          .append(')');
    }
    return sb.toString().replaceAll("\\s+", " ");
  }

  /** Defence in depth: no error text may carry a secret of the target (a URL token echoed back, say). */
  static String scrub(String text, WebhookTarget target) {
    String out = text;
    for (String secret : target.secretValues()) {
      out = out.replace(secret, "****");
    }
    return out;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    timer.shutdownNow();
    executor.shutdownNow();
  }
}
