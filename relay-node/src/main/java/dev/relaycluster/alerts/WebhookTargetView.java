package dev.relaycluster.alerts;

import java.util.Map;
import java.util.Set;

/** A target as the admin API shows it: settings with every secret masked. */
public record WebhookTargetView(String id, String name, Channel channel, boolean enabled, Set<AlertKind> kinds,
    Map<String, String> maskedConfig, long createdAt, long updatedAt) {

  public static WebhookTargetView of(WebhookTarget t) {
    return new WebhookTargetView(t.id(), t.name(), t.channel(), t.enabled(), t.kinds(),
        TargetSettings.masked(t.channel(), t.settings()), t.createdAt(), t.updatedAt());
  }
}
