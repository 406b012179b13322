package dev.relaycluster.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One fuzz input: the exact bytes sent, how they are sent, and what its answer is judged by.
 *
 * @param family the target family it is counted under ("anthropic", "admin", "http", …)
 * @param index its number in the run (with the seed, it names the input)
 * @param label a short description: method, path and what was mutated
 * @param shape the error shape a 4xx answer must have (the caller's dialect), or none
 * @param request the bytes sent
 * @param delivery on which connection, and whether the sending side is closed after the bytes
 * @param answers how many answers the bytes ask for (pipelined requests ask for several)
 * @param mayGoUnanswered whether the node may close without answering (a request it cannot frame)
 */
record FuzzInput(String family, int index, String label, Shape shape, byte[] request, Delivery delivery, int answers,
    boolean mayGoUnanswered) {

  /** Which error body a 4xx answer must have: the caller's dialect, the admin API's, or none (HTTP layer). */
  enum Shape { ANTHROPIC, OPENAI, GEMINI, ADMIN, NONE }

  /** KEEP_ALIVE may share a connection with other inputs; the others get a connection of their own. */
  enum Delivery { KEEP_ALIVE, FRESH, HALF_CLOSE }

  /** The request as text (ISO-8859-1, lower case), to tell an echo of the input from a leak. */
  String text() {
    return new String(request, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
  }

  /** The method of the (first) request line. */
  String method() {
    int space = 0;
    while (space < request.length && space < 16 && request[space] != ' ') {
      space++;
    }
    return new String(request, 0, space, StandardCharsets.ISO_8859_1);
  }

  /** The shape callers of this path expect, by its prefix (an unknown path is the relay's default, Anthropic). */
  static Shape shapeOf(String target) {
    String p = decoded(target);
    if (p.startsWith("http://") || p.startsWith("https://")) {
      int slash = p.indexOf('/', p.indexOf("//") + 2);
      p = slash < 0 ? "/" : p.substring(slash);
    }
    if (under(p, "/admin/api") || under(p, "/apiStats")) {
      return Shape.ADMIN;
    }
    if (under(p, "/openai") || under(p, "/v1/responses") || p.endsWith("/chat/completions")
        || under(p, "/droid/openai") || under(p, "/droid/comm")) {
      return Shape.OPENAI;
    }
    if (under(p, "/gemini") || under(p, "/v1beta")) {
      return Shape.GEMINI;
    }
    return Shape.ANTHROPIC;
  }

  /** Whether the path is {@code prefix} or below it (paths are case-sensitive, as the routes match them). */
  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  /**
   * The path as the routes see it: dot segments removed (as pekko-http does when it parses the target), then
   * percent-escapes decoded (a broken escape is left as it is).
   */
  private static String decoded(String target) {
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    java.util.ArrayDeque<String> kept = new java.util.ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        if (kept.size() > 1) {
          kept.removeLast();
        }
      } else if (!segment.equals(".")) {
        kept.addLast(segment);
      }
    }
    path = String.join("/", kept);
    try {
      return java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException broken) {
      return path;
    }
  }
}
