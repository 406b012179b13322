package dev.relaycluster.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link AlertSink}: hands each alert to every enabled target that wants its kind. Never
 * blocks and never throws: the target list comes from the store's cache (or an async read), and
 * delivery runs on {@link AlertDelivery}'s own threads.
 */
public final class WebhookAlertSink implements AlertSink {
  private static final Logger log = LoggerFactory.getLogger(WebhookAlertSink.class);

  private final WebhookTargetStore targets;
  private final AlertDelivery delivery;

  public WebhookAlertSink(WebhookTargetStore targets, AlertDelivery delivery) {
    this.targets = targets;
    this.delivery = delivery;
  }

  @Override
  public void raise(AccountAlert alert) {
    try {
      targets.enabledTargets().whenComplete((list, failure) -> {
        if (failure != null) {
          log.warn("alert {} for account {} not delivered: the alert targets could not be read ({})",
              AlertText.kindName(alert.kind()), alert.accountId(), failure.getMessage());
          return;
        }
        for (WebhookTarget target : list) {
          if (target.accepts(alert.kind())) {
            delivery.deliver(target, alert);
          }
        }
      });
    } catch (RuntimeException e) {
      log.warn("alert {} for account {} not delivered: {}", AlertText.kindName(alert.kind()), alert.accountId(),
          e.toString());
    }
  }
}
