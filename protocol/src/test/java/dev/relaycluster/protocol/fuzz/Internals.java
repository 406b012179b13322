package dev.relaycluster.protocol.fuzz;

import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The properties every protocol fuzz target checks: a refusal is one of the documented "bad request"
 * exceptions, and no text meant for a client names a Java or library class, an exception, or a stack frame
 * that the input did not carry itself. Anything else thrown (a NullPointerException, an
 * IllegalStateException, a StackOverflowError) is left to propagate, which Jazzer reports as a finding.
 */
final class Internals {
  private static final List<String> WORDS = List.of("exception", "jackson", "caused by:", "stackoverflowerror",
      "outofmemoryerror", "nullpointer", "\tat ", "awssdk");
  private static final Pattern PACKAGE = Pattern.compile(
      "\\b(?:java|javax|jdk|sun|scala|com\\.fasterxml|software\\.amazon|dev\\.relaycluster)\\.[a-zA-Z_]+");

  private Internals() {}

  /** Runs {@code call}; a documented refusal's message must be clean, anything else thrown propagates. */
  static <T> T orRefused(byte[] input, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (InvalidRequestException | ConversionException e) {
      assertClean("the refusal's message", e.getMessage(), input);
      return null;
    }
  }

  /** Fails when {@code text} (for a client) shows an internal the input did not carry. */
  static void assertClean(String what, String text, byte[] input) {
    assertClean(what, text, new String(input, StandardCharsets.UTF_8));
  }

  /** Fails when {@code text} (for a client) shows an internal that {@code carried} (what came in) does not. */
  static void assertClean(String what, String text, String carried) {
    if (text == null) {
      return;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    String sent = null;
    for (String word : WORDS) {
      if (lower.contains(word)) {
        sent = sent == null ? carried.toLowerCase(Locale.ROOT) : sent;
        if (!sent.contains(word)) {
          throw new AssertionError(what + " shows '" + word.strip() + "': " + text);
        }
      }
    }
    Matcher m = PACKAGE.matcher(text);
    while (m.find()) {
      sent = sent == null ? carried.toLowerCase(Locale.ROOT) : sent;
      if (!sent.contains(m.group().toLowerCase(Locale.ROOT))) {
        throw new AssertionError(what + " names '" + m.group() + "': " + text);
      }
    }
  }

  /** {@code s} as UTF-8 bytes behind one selector byte. */
  static byte[] seed(int selector, String s) {
    byte[] body = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) selector;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /** {@code bytes} behind one selector byte. */
  static byte[] seed(int selector, byte[] bytes) {
    byte[] out = new byte[bytes.length + 1];
    out[0] = (byte) selector;
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    return out;
  }

  /** The input after its selector byte. */
  static byte[] rest(byte[] input) {
    return input.length < 1 ? new byte[0] : java.util.Arrays.copyOfRange(input, 1, input.length);
  }

  /** The selector byte (0 for an empty input). */
  static int selector(byte[] input) {
    return input.length < 1 ? 0 : input[0] & 0xff;
  }
}
