package dev.relaycluster.protocol.ratelimit;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Claude model families that upstream rate-limits separately. */
public enum ModelFamily {
  OPUS, SONNET, HAIKU, OTHER;

  private static final Pattern OPUS_VERSION = Pattern.compile("opus-(\\d)(?!\\d)(?:[-.](\\d{1,2})(?!\\d))?");

  public static ModelFamily of(String model) {
    if (model == null) {
      return OTHER;
    }
    String m = model.toLowerCase(Locale.ROOT);
    if (m.contains("opus")) {
      return OPUS;
    }
    if (m.contains("sonnet")) {
      return SONNET;
    }
    if (m.contains("haiku")) {
      return HAIKU;
    }
    return OTHER;
  }

  /** The name used in cooldown marks and admin views: "opus", "sonnet", "haiku". */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Opus 4.5 or newer ({@code claude-opus-4-5-…}, {@code claude-opus-5}); older names such as
   * {@code claude-3-opus-…} or {@code claude-opus-4-1-…} are not.
   */
  public static boolean isOpus45OrNewer(String model) {
    if (of(model) != OPUS) {
      return false;
    }
    Matcher v = OPUS_VERSION.matcher(model.toLowerCase(Locale.ROOT));
    if (!v.find()) {
      return false;
    }
    int major = Integer.parseInt(v.group(1));
    int minor = v.group(2) == null ? 0 : Integer.parseInt(v.group(2));
    return major > 4 || (major == 4 && minor >= 5);
  }
}
