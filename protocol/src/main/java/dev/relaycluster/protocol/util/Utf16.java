package dev.relaycluster.protocol.util;

/**
 * Well-formed UTF-16. A JSON escape such as {@code "\ud800"} gives a Java string a surrogate without its pair,
 * which no UTF-8 or CBOR writer will write: a value that is kept (persisted in an event) must be repaired or
 * refused first.
 */
public final class Utf16 {
  private static final char REPLACEMENT = '\ufffd';

  private Utf16() {}

  /** Whether every surrogate in {@code s} is half of a pair (true for null). */
  public static boolean wellFormed(String s) {
    return s == null || firstUnpaired(s) < 0;
  }

  /** {@code s} with each unpaired surrogate replaced by U+FFFD; {@code s} itself when it has none (null stays null). */
  public static String repaired(String s) {
    int at = s == null ? -1 : firstUnpaired(s);
    if (at < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length()).append(s, 0, at);
    for (int i = at; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    return out.toString();
  }

  private static int firstUnpaired(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
