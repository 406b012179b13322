package dev.relaycluster.admin.crs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.alerts.Channel;
import dev.relaycluster.alerts.TargetSettings;
import dev.relaycluster.alerts.WebhookTarget;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * claude-relay-service's webhook settings ({@code webhook_config:default}) as alert targets (pure): each platform
 * becomes one target of the matching channel (custom → webhook, wechat_work → wecom, dingtalk and feishu with their
 * secret when signing is on, slack, discord, telegram, bark, smtp), with its name; it is enabled only when both
 * the platform and the whole config are. A platform of another type, or whose settings do not pass this relay's
 * checks, is skipped with the reason. Targets get a fixed id from the platform's id (or type and name), so a
 * second import finds them already here.
 */
final class CrsWebhookMapping {
  private CrsWebhookMapping() {}

  /** A target to create and what did not come across (null when nothing). */
  record ImportedTarget(WebhookTarget target, String note) {}

  record Result(List<ImportedTarget> targets, List<CrsSkip> skipped) {}

  static Result map(String configJson, long now) {
    List<ImportedTarget> targets = new ArrayList<>();
    List<CrsSkip> skipped = new ArrayList<>();
    if (configJson == null) {
      return new Result(targets, skipped);
    }
    JsonNode config = Json.tryParse(configJson).orElse(null);
    if (config == null || !config.isObject()) {
      skipped.add(new CrsSkip("webhook", CrsReader.WEBHOOK_CONFIG, null, "not a JSON object: damaged record"));
      return new Result(targets, skipped);
    }
    boolean allOn = config.path("enabled").asBoolean(true);
    KindChoice kinds = kinds(config.path("notificationTypes"));
    for (JsonNode p : config.path("platforms")) {
      String type = p.path("type").asText("");
      String name = p.path("name").asText("").strip();
      if (name.isEmpty()) {
        name = "crs-" + type;
      }
      name = name.length() > 200 ? name.substring(0, 200) : name;
      String key = p.hasNonNull("id") ? p.get("id").asText() : type + "\n" + name;
      String id = "wh_crs_" + Hashing.sha256Hex(key).substring(0, 24);
      List<String> lost = new ArrayList<>();
      Channel channel;
      Map<String, String> given = new LinkedHashMap<>();
      switch (type) {
        case "custom" -> {
          channel = Channel.WEBHOOK;
          given.put("url", text(p, "url"));
          lost.add("the payload is this relay's alert JSON, not claude-relay-service's");
        }
        case "wechat_work", "wecom" -> {
          channel = Channel.WECOM;
          given.put("url", text(p, "url"));
        }
        case "slack", "discord" -> {
          channel = type.equals("slack") ? Channel.SLACK : Channel.DISCORD;
          given.put("url", text(p, "url"));
        }
        case "dingtalk", "feishu" -> {
          channel = type.equals("dingtalk") ? Channel.DINGTALK : Channel.FEISHU;
          given.put("url", text(p, "url"));
          if (p.path("enableSign").asBoolean(false)) {
            given.put("secret", text(p, "secret"));
          }
        }
        case "telegram" -> {
          channel = Channel.TELEGRAM;
          given.put("botToken", text(p, "botToken"));
          given.put("chatId", text(p, "chatId"));
          String base = text(p, "apiBaseUrl");
          if (base != null) {
            given.put("apiBase", base.replaceAll("/+$", ""));
          }
          if (text(p, "proxyUrl") != null) {
            lost.add("its proxy (proxyUrl) is not used here");
          }
        }
        case "bark" -> {
          channel = Channel.BARK;
          given.put("deviceKey", text(p, "deviceKey"));
          String server = text(p, "serverUrl");
          if (server != null) {
            given.put("serverUrl", server.replaceAll("/push/?$", "").replaceAll("/+$", ""));
          }
          given.put("group", text(p, "group"));
          if (text(p, "sound") != null || text(p, "level") != null || text(p, "icon") != null) {
            lost.add("its sound, level and icon are not used here");
          }
        }
        case "smtp" -> {
          channel = Channel.SMTP;
          given.put("host", text(p, "host"));
          given.put("port", text(p, "port"));
          boolean tls = p.path("secure").asBoolean(false) || "465".equals(text(p, "port"));
          given.put("security", tls ? "tls" : "starttls");
          given.put("username", text(p, "user"));
          given.put("password", text(p, "pass"));
          given.put("from", address(text(p, "from") != null ? text(p, "from") : text(p, "user")));
          List<String> to = new ArrayList<>();
          (p.path("to").isArray() ? p.path("to") : Json.mapper().createArrayNode().add(p.path("to").asText("")))
              .forEach(t -> to.add(address(t.asText())));
          given.put("to", String.join(",", to));
        }
        default -> {
          skipped.add(new CrsSkip("webhook", id, name, "platform type '" + type + "' has no alert target kind here"
              + " (kinds: " + Channel.wireNames() + ")"));
          continue;
        }
      }
      Map<String, String> settings;
      try {
        settings = TargetSettings.validate(channel, given, Map.of());
      } catch (IllegalArgumentException e) {
        skipped.add(new CrsSkip("webhook", id, name, type + ": " + e.getMessage()));
        continue;
      }
      boolean on = allOn && p.path("enabled").asBoolean(true) && !kinds.none();
      if (!allOn) {
        lost.add("disabled: webhooks were turned off in claude-relay-service");
      } else if (kinds.none()) {
        lost.add("disabled: claude-relay-service sent it no account alerts");
      }
      targets.add(new ImportedTarget(new WebhookTarget(id, name, channel, on, kinds.kinds(), settings, now, now),
          lost.isEmpty() ? null : String.join("; ", lost)));
    }
    return new Result(targets, skipped);
  }

  /** The alert kinds CRS's notification types ask for: empty means all; {@code none} when it asked for none. */
  private record KindChoice(Set<AlertKind> kinds, boolean none) {}

  private static KindChoice kinds(JsonNode types) {
    boolean anomaly = types.path("accountAnomaly").asBoolean(true);
    boolean recovery = types.path("rateLimitRecovery").asBoolean(true);
    if (anomaly && recovery) {
      return new KindChoice(Set.of(), false);
    }
    if (!anomaly && !recovery) {
      return new KindChoice(Set.of(), true);
    }
    EnumSet<AlertKind> out = EnumSet.of(AlertKind.RECOVERED);
    if (anomaly) {
      out = EnumSet.complementOf(EnumSet.of(AlertKind.RECOVERED, AlertKind.TEST));
    }
    return new KindChoice(out, false);
  }

  private static String text(JsonNode p, String field) {
    JsonNode v = p.get(field);
    return v == null || v.isNull() || v.isContainerNode() || v.asText().isBlank() ? null : v.asText().strip();
  }

  /** {@code Name <a@b.c>} → {@code a@b.c}. */
  private static String address(String v) {
    if (v == null) {
      return null;
    }
    int lt = v.indexOf('<');
    int gt = v.indexOf('>', lt + 1);
    return lt >= 0 && gt > lt ? v.substring(lt + 1, gt).strip() : v.strip();
  }
}
