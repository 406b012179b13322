package dev.relaycluster.openapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes a Pekko HTTP routes class serves, read from its Java source. The routing DSL cannot list its
 * routes at run time, but our route classes are written in one plain style: {@code path(matcher, …)} and
 * {@code pathPrefix(matcher, …)} nest, {@code pathEnd} and {@code pathSingleSlash} end a path, and
 * {@code get(() -> …)}, {@code post(() -> …)} and the other method directives pick the method. This
 * reader follows that nesting by the parentheses of the source, and follows calls to the class's own
 * methods ({@code authorized(…)} inside {@code pathPrefix("admin/api")}) with the prefix of the call.
 *
 * <p>A route is a method ({@code GET}, …, or {@code ANY} when no method directive limits a path) and a path
 * template with {@code {}} for every matched segment. A method directive outside any full path gives the
 * prefix and {@code /**}, so that nothing is silently dropped.
 */
final class RouteSources {
  record Route(String method, String path) implements Comparable<Route> {
    @Override
    public int compareTo(Route o) {
      return (path + " " + method).compareTo(o.path + " " + o.method);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final Set<String> PREFIXES = Set.of("path", "pathPrefix");
  private static final Set<String> ENDS = Set.of("pathEnd", "pathEndOrSingleSlash", "pathSingleSlash");
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");
  private static final Set<String> PARAMETER_MATCHERS = Set.of("segment", "integerSegment", "longSegment",
      "uuidSegment", "hexIntegerSegment", "hexLongSegment", "doubleSegment");
  private static final Set<String> NOT_TYPES = Set.of("new", "class", "interface", "record", "enum");
  private static final Set<String> BEFORE_CALLS = Set.of("return", "else", "case", "throw", "yield", "default");

  private record Token(char kind, String text) {}

  /** A path directive the reader is inside: its segments from the root, whether it matches whole, its end. */
  private static final class Scope {
    final List<String> segments;
    final boolean full;
    final int end;
    boolean hasMethod;

    Scope(List<String> segments, boolean full, int end) {
      this.segments = segments;
      this.full = full;
      this.end = end;
    }
  }

  private final List<Token> tokens;
  private final Set<String> receivers;
  private final Map<String, List<int[]>> methods = new HashMap<>();
  private final Set<String> visited = new HashSet<>();
  private final Set<Route> routes = new TreeSet<>();

  private RouteSources(String source, Set<String> receivers) {
    this.tokens = lex(source);
    this.receivers = receivers;
  }

  /**
   * The routes of {@code source} mounted at {@code prefix} ("" or e.g. "/admin/api"). {@code receivers}
   * names variables whose directive calls count too ({@code d.path(…)} on an {@code AllDirectives d}).
   */
  static Set<Route> scan(String source, String prefix, Set<String> receivers) {
    RouteSources reader = new RouteSources(source, receivers);
    reader.findMethods();
    List<String> base = new ArrayList<>();
    for (String s : prefix.split("/")) {
      if (!s.isEmpty()) {
        base.add(s);
      }
    }
    Set<String> called = reader.calledMethods();
    for (Map.Entry<String, List<int[]>> m : reader.methods.entrySet()) {
      if (!called.contains(m.getKey())) {
        for (int[] body : m.getValue()) {
          List<Scope> stack = new ArrayList<>();
          stack.add(new Scope(base, false, Integer.MAX_VALUE));
          reader.read(body[0], body[1], stack);
        }
      }
    }
    return reader.routes;
  }

  private void read(int from, int to, List<Scope> stack) {
    for (int i = from; i < to; i++) {
      Token t = tokens.get(i);
      if (t.kind == ')') {
        while (!stack.isEmpty() && stack.get(stack.size() - 1).end == i) {
          Scope done = stack.remove(stack.size() - 1);
          if (done.full && !done.hasMethod) {
            routes.add(new Route("ANY", path(done.segments)));
          }
        }
      }
      if (t.kind != 'i' || !isCall(i)) {
        continue;
      }
      int close = closing(i + 1);
      Scope inner = stack.get(stack.size() - 1);
      if (PREFIXES.contains(t.text)) {
        List<String> segments = new ArrayList<>(inner.segments);
        segments.addAll(matcher(i + 2, firstArgumentEnd(i + 1)));
        stack.add(new Scope(segments, t.text.equals("path"), close));
      } else if (ENDS.contains(t.text)) {
        List<String> segments = new ArrayList<>(inner.segments);
        if (t.text.equals("pathSingleSlash")) {
          segments.add("");
        }
        stack.add(new Scope(segments, true, close));
      } else if (METHODS.contains(t.text) && startsWithLambda(i + 2)) {
        Scope path = innermostFull(stack);
        String method = t.text.toUpperCase(Locale.ROOT);
        if (path == null) {
          routes.add(new Route(method, path(inner.segments) + "/**"));
        } else {
          path.hasMethod = true;
          routes.add(new Route(method, path(path.segments)));
        }
      } else if (methods.containsKey(t.text) && !isQualified(i)) {
        follow(t.text, stack);
      }
    }
  }

  /** Reads the class's own method {@code name} as if written where it is called. */
  private void follow(String name, List<Scope> stack) {
    Scope inner = stack.get(stack.size() - 1);
    Scope full = innermostFull(stack);
    String key = name + "@" + inner.segments + (full == inner);
    if (!visited.add(key)) {
      return;
    }
    List<Scope> inherited = new ArrayList<>();
    Scope copy = new Scope(inner.segments, full == inner, Integer.MAX_VALUE);
    inherited.add(copy);
    for (int[] body : methods.get(name)) {
      read(body[0], body[1], inherited);
    }
    if (full == inner && copy.hasMethod) {
      inner.hasMethod = true;
    }
  }

  private static Scope innermostFull(List<Scope> stack) {
    Scope inner = stack.get(stack.size() - 1);
    return inner.full ? inner : null;
  }

  private static String path(List<String> segments) {
    return "/" + String.join("/", segments);
  }

  /** The segments of a path matcher: string literals, and {} for matchers that take any segment. */
  private List<String> matcher(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Token t = tokens.get(i);
      if (t.kind == 's') {
        out.add(t.text);
      } else if (t.kind == 'i' && PARAMETER_MATCHERS.contains(t.text) && i + 2 < to
          && tokens.get(i + 1).kind == '(' && tokens.get(i + 2).kind == ')') {
        out.add("{}");
      } else if (t.kind == 'i' && (t.text.equals("remaining") || t.text.equals("remainingPath"))) {
        out.add("**");
      }
    }
    return out;
  }

  /** A call of a directive or method: {@code name(} not declared here, not {@code x.name(} (unless x is a receiver). */
  private boolean isCall(int i) {
    if (i + 1 >= tokens.size() || tokens.get(i + 1).kind != '(' || i == 0) {
      return false;
    }
    Token before = tokens.get(i - 1);
    if (before.kind == '.') {
      return i >= 2 && receivers.contains(tokens.get(i - 2).text) && (i < 3 || tokens.get(i - 3).kind != '.');
    }
    if (before.kind == 'i') {
      return BEFORE_CALLS.contains(before.text);
    }
    return before.kind != 'c' && before.kind != '>';
  }

  private boolean isQualified(int i) {
    return tokens.get(i - 1).kind == '.';
  }

  /** {@code () ->}: the argument of a method directive (a method reference is not followed, and shows as ANY). */
  private boolean startsWithLambda(int i) {
    return i + 2 < tokens.size() && tokens.get(i).kind == '(' && tokens.get(i + 1).kind == ')'
        && tokens.get(i + 2).kind == '-';
  }

  private int closing(int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      char k = tokens.get(i).kind;
      if (k == '(' || k == '{' || k == '[') {
        depth++;
      } else if (k == ')' || k == '}' || k == ']') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    throw new IllegalStateException("unbalanced source");
  }

  private int firstArgumentEnd(int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      char k = tokens.get(i).kind;
      if (k == '(' || k == '{' || k == '[') {
        depth++;
      } else if (k == ')' || k == '}' || k == ']') {
        depth--;
        if (depth == 0) {
          return i;
        }
      } else if (k == ',' && depth == 1) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced source");
  }

  /** Method and constructor bodies by name: {@code name(…) [throws …] {…}} after a type or modifier. */
  private void findMethods() {
    for (int i = 1; i + 1 < tokens.size(); i++) {
      Token t = tokens.get(i);
      Token before = tokens.get(i - 1);
      boolean afterType = before.kind == '>' || before.kind == ']'
          || (before.kind == 'i' && !BEFORE_CALLS.contains(before.text) && !NOT_TYPES.contains(before.text));
      if (t.kind != 'i' || tokens.get(i + 1).kind != '(' || !afterType) {
        continue;
      }
      int j = closing(i + 1) + 1;
      if (j < tokens.size() && tokens.get(j).text.equals("throws")) {
        while (j < tokens.size() && tokens.get(j).kind != '{' && tokens.get(j).kind != ';') {
          j++;
        }
      }
      if (j < tokens.size() && tokens.get(j).kind == '{') {
        methods.computeIfAbsent(t.text, k -> new ArrayList<>()).add(new int[] {j, closing(j)});
      }
    }
  }

  /** Names of the class's methods called from its own code (the others are where reading starts). */
  private Set<String> calledMethods() {
    Set<String> called = new HashSet<>();
    for (int i = 1; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind == 'i' && methods.containsKey(t.text) && isCall(i) && !startsWithLambda(i + 2)) {
        called.add(t.text);
      }
    }
    return called;
  }

  /**
   * Tokens: identifiers and keywords ('i'), string literals with their value ('s'), numbers ('n'), and
   * single symbols by themselves ('-' stands for the arrow {@code ->}, 'c' for {@code ::}). Comments and
   * character literals are dropped.
   */
  private static List<Token> lex(String src) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (src.startsWith("//", i)) {
        i = src.indexOf('\n', i) < 0 ? src.length() : src.indexOf('\n', i);
      } else if (src.startsWith("/*", i)) {
        i = src.indexOf("*/", i + 2) + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        int end = src.indexOf("\"\"\"", i + 3);
        out.add(new Token('s', src.substring(i + 3, end)));
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        StringBuilder value = new StringBuilder();
        int j = i + 1;
        while (src.charAt(j) != c) {
          if (src.charAt(j) == '\\') {
            j++;
          }
          value.append(src.charAt(j));
          j++;
        }
        if (c == '"') {
          out.add(new Token('s', value.toString()));
        }
        i = j + 1;
      } else if (Character.isJavaIdentifierStart(c)) {
        int j = i;
        while (j < src.length() && Character.isJavaIdentifierPart(src.charAt(j))) {
          j++;
        }
        out.add(new Token('i', src.substring(i, j)));
        i = j;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_'
            || src.charAt(j) == '.')) {
          j++;
        }
        out.add(new Token('n', src.substring(i, j)));
        i = j;
      } else if (src.startsWith("->", i)) {
        out.add(new Token('-', "->"));
        i += 2;
      } else if (src.startsWith("::", i)) {
        out.add(new Token('c', "::"));
        i += 2;
      } else {
        out.add(new Token(c, String.valueOf(c)));
        i++;
      }
    }
    return out;
  }
}
