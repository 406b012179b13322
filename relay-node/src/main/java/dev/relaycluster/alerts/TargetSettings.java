package dev.relaycluster.alerts;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Checks a target's settings against its channel's fields, and masks the secret ones for display. */
public final class TargetSettings {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;]+@[^@\\s<>,;]+\\.[^@\\s<>,;]+");
  private static final int MAX_VALUE = 2000;

  private TargetSettings() {}

  /**
   * The complete settings: {@code given} values checked, absent ones taken from {@code previous}
   * (an update that leaves a secret out keeps it), then defaults. An empty string clears an optional
   * field.
   *
   * @throws IllegalArgumentException naming the first field that is wrong ("config.url: ...")
   */
  public static Map<String, String> validate(Channel channel, Map<String, String> given, Map<String, String> previous) {
    List<String> known = channel.fields().stream().map(ChannelField::name).toList();
    for (String key : given.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("config." + key + ": not a setting of " + channel.wireName()
            + " targets (settings: " + String.join(", ", known) + ")");
      }
    }
    Map<String, String> out = new TreeMap<>();
    for (ChannelField field : channel.fields()) {
      String value;
      if (given.containsKey(field.name())) {
        value = given.get(field.name()) == null ? null : given.get(field.name()).strip();
        if (value != null && value.isEmpty()) {
          value = null;
        }
      } else {
        value = previous.get(field.name());
      }
      if (value == null) {
        value = field.defaultValue();
      }
      if (value == null) {
        if (field.required()) {
          throw new IllegalArgumentException("config." + field.name() + ": required for " + channel.wireName()
              + " targets");
        }
        continue;
      }
      out.put(field.name(), check(field, value));
    }
    if (out.containsKey("password") && !out.containsKey("username")) {
      throw new IllegalArgumentException("config.password: set config.username too");
    }
    return out;
  }

  private static String check(ChannelField field, String value) {
    String where = "config." + field.name() + ": ";
    if (value.length() > MAX_VALUE) {
      throw new IllegalArgumentException(where + "longer than " + MAX_VALUE + " characters");
    }
    if (!field.choices().isEmpty() && !field.choices().contains(value)) {
      throw new IllegalArgumentException(where + "must be one of " + String.join(", ", field.choices()));
    }
    switch (field.kind()) {
      case URL -> {
        URI uri;
        try {
          uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException(where + "not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
          throw new IllegalArgumentException(where + "must be an http:// or https:// URL with a host");
        }
        return value;
      }
      case PORT -> {
        try {
          int port = Integer.parseInt(value);
          if (port < 1 || port > 65535) {
            throw new NumberFormatException();
          }
          return Integer.toString(port);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(where + "must be a port number from 1 to 65535");
        }
      }
      case EMAIL -> {
        if (!EMAIL.matcher(value).matches()) {
          throw new IllegalArgumentException(where + "not an e-mail address");
        }
        return value;
      }
      case EMAIL_LIST -> {
        List<String> addresses = new ArrayList<>();
        for (String part : value.split(",")) {
          String address = part.strip();
          if (!EMAIL.matcher(address).matches()) {
            throw new IllegalArgumentException(where + "'" + address + "' is not an e-mail address");
          }
          addresses.add(address);
        }
        return String.join(",", addresses);
      }
      default -> {
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
          throw new IllegalArgumentException(where + "must be one line");
        }
        return value;
      }
    }
  }

  /** The settings as an admin may see them: secret URLs as their origin and "/****", other secrets as "****". */
  public static Map<String, String> masked(Channel channel, Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ChannelField field : channel.fields()) {
      String value = settings.get(field.name());
      if (value == null) {
        continue;
      }
      out.put(field.name(), field.secret() ? mask(field, value) : value);
    }
    return out;
  }

  private static String mask(ChannelField field, String value) {
    if (field.kind() == ChannelField.Kind.URL) {
      try {
        URI uri = new URI(value);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/****";
      } catch (java.net.URISyntaxException e) {
        return "****";
      }
    }
    return "****";
  }
}
