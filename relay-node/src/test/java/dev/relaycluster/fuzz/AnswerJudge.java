package dev.relaycluster.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges one answer: a 5xx is the relay's own unless it carries a mark of the mock upstream that sent it (the
 * mocks answer 200 to everything the fuzzer sends, so both kinds are counted); no stack trace, Java class or
 * package name, "Exception", Jackson or Pekko may appear in an answer unless the input itself carried the
 * word; and a 4xx is in the error shape of the caller's dialect.
 */
final class AnswerJudge {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> WORDS = List.of("exception", "jackson", "pekko", "akka", "caused by:",
      "stackoverflowerror", "outofmemoryerror", "nullpointer", "\tat ");
  private static final Pattern PACKAGE = Pattern.compile(
      "\\b(?:java|javax|jdk|scala|sun|org\\.apache|org\\.h2|org\\.postgresql|com\\.fasterxml|io\\.netty|io\\.lettuce"
          + "|dev\\.relaycluster)\\.[a-zA-Z_]+");
  /**
   * A node's cluster address ({@code pekko://relay@host:port}), which /health reports by design: the node's
   * name in the cluster, not an internal of a failure.
   */
  private static final Pattern CLUSTER_ADDRESS = Pattern.compile("pekko://[A-Za-z0-9_-]+@[A-Za-z0-9.:\\[\\]_-]+");
  /** Headers by which each mock upstream marks its answers (the relay passes them on). */
  private static final List<String[]> UPSTREAM_MARKS = List.of(new String[] {"request-id", "req_011C"},
      new String[] {"x-request-id", "req_"}, new String[] {"server-timing", "gfet4t7"});

  private AnswerJudge() {}

  /**
   * What is wrong with one answer; empty when nothing is. {@code httpLayer}: a refusal by the HTTP layer
   * before any route ran (a request it could not parse), which knows no dialect and answers in plain text.
   */
  record Verdict(boolean relay5xx, boolean upstream5xx, String leak, String shapeMiss, boolean httpLayer) {}

  static Verdict judge(FuzzInput input, FuzzAnswer answer, boolean firstAnswer) {
    if (!answer.answered()) {
      return new Verdict(false, false, null, null, false);
    }
    boolean server = answer.status() >= 500;
    boolean marked = server && upstreamMarked(answer);
    String leak = leak(input, answer);
    String shape = null;
    // An answer to HEAD has no body to judge.
    FuzzInput.Shape expected = firstAnswer && !input.method().equals("HEAD") ? input.shape() : FuzzInput.Shape.NONE;
    boolean httpLayer = httpLayer(answer);
    if (answer.status() >= 400 && answer.status() < 500 && expected != FuzzInput.Shape.NONE && !httpLayer) {
      shape = shapeMiss(expected, answer);
    }
    return new Verdict(server && !marked, marked, leak, shape, httpLayer);
  }

  /**
   * pekko-http's answer to a request it could not parse: plain text, and the connection closes (the routes
   * answer JSON, and a route's refusal keeps the connection).
   */
  static boolean httpLayer(FuzzAnswer answer) {
    String type = answer.header("content-type");
    return answer.status() >= 400 && type != null && type.startsWith("text/plain") && answer.closes();
  }

  private static boolean upstreamMarked(FuzzAnswer answer) {
    for (String[] mark : UPSTREAM_MARKS) {
      String v = answer.header(mark[0]);
      if (v != null && v.startsWith(mark[1])) {
        return true;
      }
    }
    return false;
  }

  /** The first library word or class name the answer shows that the input did not carry, or null. */
  static String leak(FuzzInput input, FuzzAnswer answer) {
    StringBuilder all = new StringBuilder();
    for (String[] h : answer.headers()) {
      all.append(h[0]).append(": ").append(h[1]).append('\n');
    }
    all.append(answer.bodyText());
    String text = CLUSTER_ADDRESS.matcher(all).replaceAll("cluster-address");
    String lower = text.toLowerCase(Locale.ROOT);
    String sent = null;
    for (String word : WORDS) {
      if (lower.contains(word)) {
        sent = sent == null ? input.text() : sent;
        if (!sent.contains(word)) {
          return word.strip();
        }
      }
    }
    Matcher m = PACKAGE.matcher(text);
    while (m.find()) {
      sent = sent == null ? input.text() : sent;
      if (!sent.contains(m.group().toLowerCase(Locale.ROOT))) {
        return m.group();
      }
    }
    return null;
  }

  /** Why a 4xx answer's body is not the expected dialect's error, or null when it is. */
  static String shapeMiss(FuzzInput.Shape shape, FuzzAnswer answer) {
    JsonNode body;
    try {
      body = JSON.readTree(answer.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return "not a JSON object";
    }
    JsonNode error = body.path("error");
    List<String> missing = new ArrayList<>();
    switch (shape) {
      case ANTHROPIC -> {
        require(missing, "error".equals(body.path("type").asText()), "type=error");
        require(missing, error.path("type").isTextual(), "error.type");
        require(missing, error.path("message").isTextual(), "error.message");
      }
      case OPENAI -> {
        require(missing, error.path("message").isTextual(), "error.message");
        require(missing, error.path("type").isTextual(), "error.type");
      }
      case GEMINI -> {
        require(missing, error.path("code").isInt() && error.path("code").asInt() == answer.status(), "error.code");
        require(missing, error.path("message").isTextual(), "error.message");
        require(missing, error.path("status").isTextual(), "error.status");
      }
      default -> {
        require(missing, error.path("type").isTextual(), "error.type");
        require(missing, error.path("message").isTextual(), "error.message");
      }
    }
    return missing.isEmpty() ? null : "no " + String.join(", ", missing);
  }

  private static void require(List<String> missing, boolean ok, String what) {
    if (!ok) {
      missing.add(what);
    }
  }
}
