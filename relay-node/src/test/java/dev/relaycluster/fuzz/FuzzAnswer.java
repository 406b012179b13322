package dev.relaycluster.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What came back for one request: an answer (status, headers with lower-case names, body as sent, chunked
 * bodies joined), or how the connection ended without one.
 */
record FuzzAnswer(Outcome outcome, int status, List<String[]> headers, byte[] body, String note) {
  /** ANSWERED, or: the node closed without an answer, reset the connection, or said nothing in time. */
  enum Outcome { ANSWERED, CLOSED, RESET, TIMEOUT, NOT_HTTP }

  static FuzzAnswer none(Outcome outcome, String note) {
    return new FuzzAnswer(outcome, 0, List.of(), new byte[0], note);
  }

  boolean answered() {
    return outcome == Outcome.ANSWERED;
  }

  String header(String name) {
    for (String[] h : headers) {
      if (h[0].equals(name)) {
        return h[1];
      }
    }
    return null;
  }

  /** Whether the node closes the connection after this answer. */
  boolean closes() {
    String c = header("connection");
    return c != null && c.toLowerCase(Locale.ROOT).contains("close");
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Head and body as text, for the report of a finding (cut to a readable length). */
  String summary() {
    if (!answered()) {
      return outcome + (note == null ? "" : " (" + note + ")");
    }
    StringBuilder s = new StringBuilder().append(status);
    String type = header("content-type");
    if (type != null) {
      s.append(' ').append(type);
    }
    String text = bodyText().replace("\n", "\\n").replace("\r", "\\r");
    return s.append(' ').append(text.length() > 300 ? text.substring(0, 300) + "…" : text).toString();
  }
}
