package dev.relaycluster.alerts;

import static dev.relaycluster.alerts.ChannelField.Kind.EMAIL;
import static dev.relaycluster.alerts.ChannelField.Kind.EMAIL_LIST;
import static dev.relaycluster.alerts.ChannelField.Kind.PORT;
import static dev.relaycluster.alerts.ChannelField.Kind.TEXT;
import static dev.relaycluster.alerts.ChannelField.Kind.URL;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where an alert target delivers, and which settings each kind of target has. */
public enum Channel {
  /** Our own JSON schema (see README), optionally signed with HMAC-SHA256. */
  WEBHOOK(ChannelField.required("url", URL, true), ChannelField.optional("secret", TEXT, true, null)),
  SLACK(ChannelField.required("url", URL, true)),
  DISCORD(ChannelField.required("url", URL, true)),
  FEISHU(ChannelField.required("url", URL, true), ChannelField.optional("secret", TEXT, true, null)),
  DINGTALK(ChannelField.required("url", URL, true), ChannelField.optional("secret", TEXT, true, null)),
  WECOM(ChannelField.required("url", URL, true)),
  TELEGRAM(ChannelField.required("botToken", TEXT, true), ChannelField.required("chatId", TEXT, false),
      ChannelField.optional("apiBase", URL, false, "https://api.telegram.org")),
  BARK(ChannelField.required("deviceKey", TEXT, true),
      ChannelField.optional("serverUrl", URL, false, "https://api.day.app"),
      ChannelField.optional("group", TEXT, false, "relay-cluster")),
  SMTP(ChannelField.required("host", TEXT, false), ChannelField.optional("port", PORT, false, "587"),
      ChannelField.choice("security", "starttls", "starttls", "tls", "none"),
      ChannelField.optional("username", TEXT, false, null), ChannelField.optional("password", TEXT, true, null),
      ChannelField.required("from", EMAIL, false), ChannelField.required("to", EMAIL_LIST, false));

  private final List<ChannelField> fields;

  Channel(ChannelField... fields) {
    this.fields = List.of(fields);
  }

  public List<ChannelField> fields() {
    return fields;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Channel> parse(String wireName) {
    return Arrays.stream(values()).filter(c -> c.wireName().equals(wireName)).findFirst();
  }

  public static String wireNames() {
    return String.join(", ", Arrays.stream(values()).map(Channel::wireName).toList());
  }
}
