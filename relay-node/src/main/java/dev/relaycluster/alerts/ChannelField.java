package dev.relaycluster.alerts;

import java.util.List;

/**
 * One setting of a channel, as the admin API takes it under {@code config}. Secret fields (webhook
 * URLs that embed a token, signing secrets, bot tokens, passwords) are stored encrypted and shown
 * masked. {@code choices}, when not empty, are the only values allowed.
 */
public record ChannelField(String name, Kind kind, boolean required, boolean secret, String defaultValue,
    List<String> choices) {

  /** How a value is checked. */
  public enum Kind { URL, TEXT, PORT, EMAIL_LIST, EMAIL }

  static ChannelField required(String name, Kind kind, boolean secret) {
    return new ChannelField(name, kind, true, secret, null, List.of());
  }

  static ChannelField optional(String name, Kind kind, boolean secret, String defaultValue) {
    return new ChannelField(name, kind, false, secret, defaultValue, List.of());
  }

  static ChannelField choice(String name, String defaultValue, String... choices) {
    return new ChannelField(name, Kind.TEXT, false, false, defaultValue, List.of(choices));
  }
}
