package dev.relaycluster.protocol.convert.anthropic;

import dev.relaycluster.protocol.util.Hashing;

/**
 * Tool call ids as the Messages API accepts them ({@code [A-Za-z0-9_-]+}). An id already fit is kept; any
 * other has its other characters replaced by '_' and a short hash of the original appended, so the same id
 * maps the same way in every request and two ids never meet.
 */
final class ToolIds {
  private ToolIds() {}

  static String sanitize(String id) {
    String original = id == null ? "" : id;
    if (!original.isEmpty() && fits(original)) {
      return original;
    }
    StringBuilder out = new StringBuilder(original.length() + 9);
    for (int i = 0; i < original.length(); i++) {
      char c = original.charAt(i);
      out.append(allowed(c) ? c : '_');
    }
    return out.append('_').append(Hashing.sha256Hex(original).substring(0, 8)).toString();
  }

  private static boolean fits(String id) {
    for (int i = 0; i < id.length(); i++) {
      if (!allowed(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }
}
