package dev.relaycluster.alerts;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An alert target with its settings in plain form (secrets included), as delivery needs it. It
 * lives only in memory; {@link #toString} masks every secret setting.
 *
 * @param kinds the alert kinds it wants; empty means all
 * @param settings every field of its channel (see {@link Channel#fields()}), defaults applied
 */
public record WebhookTarget(String id, String name, Channel channel, boolean enabled, Set<AlertKind> kinds,
    Map<String, String> settings, long createdAt, long updatedAt) {

  public WebhookTarget {
    kinds = Set.copyOf(kinds);
    settings = Map.copyOf(settings);
  }

  public boolean accepts(AlertKind kind) {
    return enabled && (kinds.isEmpty() || kinds.contains(kind));
  }

  public String setting(String field) {
    return settings.get(field);
  }

  /** The secret values, so that error texts can be scrubbed of them. */
  public java.util.List<String> secretValues() {
    return channel.fields().stream().filter(ChannelField::secret).map(f -> settings.get(f.name()))
        .filter(v -> v != null && !v.isEmpty()).toList();
  }

  @Override
  public String toString() {
    return "WebhookTarget[" + id + " '" + name + "' " + channel.wireName() + " "
        + new TreeMap<>(TargetSettings.masked(channel, settings)) + "]";
  }
}
