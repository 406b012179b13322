package dev.relaycluster.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random material of one input, drawn from its own seeded generator: odd strings (empty, huge,
 * multilingual, control characters, lone surrogates), numbers out of every range, invalid UTF-8 bytes.
 * (Random letters may spell a word the judge looks for; it only counts words that the input did not carry.)
 */
final class Junk {
  private static final String[] WORDS = {"", " ", "hello", "claude", "gpt-5", "gemini-2.5-pro", "null", "true",
      "0", "-1", "{}", "[]", "\"", "\\", "/", "..", "%00", "%zz", "\u00e9", "\u4f60\u597d", "\ud83c\udf0d",
      "\u202e", "\u0301", "\uffff", "\ufeff", "a\u0000b", "\t", "\r\n", "<script>", "'; drop table x;--",
      "${jndi:x}", "{{7*7}}", "../../etc/passwd", "models/", "v1internal:", "cr_", "Bearer "};
  private static final String[] NUMBERS = {"0", "-0", "1", "-1", "1.5", "1e308", "1e400", "-1e400",
      "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648", "4294967296",
      "123456789012345678901234567890", "0.0000000000000000000000001", "1E-400", "NaN", "Infinity", "-Infinity",
      "0x10", "01", "1.", ".5", "+1"};
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/ ";

  final SplittableRandom random;

  Junk(SplittableRandom random) {
    this.random = random;
  }

  int below(int n) {
    return random.nextInt(n);
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  String pick(String... items) {
    return items[random.nextInt(items.length)];
  }

  /** A length that is mostly short, sometimes long, rarely huge (up to {@code max}). */
  int length(int max) {
    int roll = below(100);
    int n = roll < 60 ? below(16) : roll < 90 ? below(512) : roll < 98 ? below(16_384) : below(max + 1);
    return Math.min(n, max);
  }

  /** A string of one of several kinds: a word, letters, any unicode, control characters, escapes. */
  String string() {
    return switch (below(8)) {
      case 0, 1 -> pick(WORDS);
      case 2 -> letters(length(70_000));
      case 3 -> unicode(length(4_000));
      case 4 -> controls(1 + below(40));
      case 5 -> pick(WORDS).repeat(1 + below(3_000));
      case 6 -> "\ud800" + letters(below(8)) + "\udfff";
      default -> letters(1 + below(40));
    };
  }

  /** Letters from a fixed alphabet, repeated blocks so huge strings are cheap. */
  String letters(int n) {
    StringBuilder s = new StringBuilder(n);
    while (s.length() < n) {
      s.append(ALPHABET.charAt(below(ALPHABET.length())));
      if (s.length() > 64 && chance(50)) {
        s.append(s, 0, Math.min(s.length(), n - s.length()));
      }
    }
    return s.substring(0, n);
  }

  /** Code points from every plane, including combining marks, right-to-left and private use. */
  String unicode(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int cp = switch (below(6)) {
        case 0 -> 0x20 + below(0x5f);
        case 1 -> 0xa0 + below(0x700);
        case 2 -> 0x3000 + below(0x6000);
        case 3 -> 0x1f300 + below(0x300);
        case 4 -> 0xe000 + below(0x1900);
        default -> 0x300 + below(0x70);
      };
      s.appendCodePoint(cp);
    }
    return s.toString();
  }

  String controls(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append((char) (chance(80) ? below(0x20) : 0x7f + below(0x21)));
    }
    return s.toString();
  }

  /** The JSON text of a number that may be out of every range a field can hold (some are not JSON at all). */
  String numberText() {
    return chance(70) ? pick(NUMBERS) : Long.toString(random.nextLong());
  }

  /** Bytes that are not valid UTF-8: lone continuation bytes, overlong forms, surrogates, 0xFF. */
  byte[] invalidUtf8() {
    byte[][] forms = {{(byte) 0x80}, {(byte) 0xc3, 0x28}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0,
        (byte) 0x80}, {(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0xe2, (byte) 0x82}, {0}};
    return forms[below(forms.length)];
  }

  /** Random bytes of any value. */
  byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
