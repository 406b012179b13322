package dev.relaycluster.fuzz;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The headers of a fuzzed client request: the key in one of the forms clients send it (or a broken form,
 * or none), a content type, and sometimes odd extra headers: unicode and control characters in values,
 * illegal names, folded lines, huge values, many headers, hop-by-hop and upgrade headers, a second host.
 */
final class ClientHeaders {
  private final Junk junk;
  private final String key;
  /** The labels of what was chosen, for the input's description. */
  final List<String> applied = new ArrayList<>();
  /** A key to put in the query ({@code ?key=}), or null. */
  String queryKey;

  ClientHeaders(Junk junk, String key) {
    this.junk = junk;
    this.key = key;
  }

  /** The headers chosen, in order: name and value. */
  final List<String[]> headers = new ArrayList<>();

  private ClientHeaders header(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }

  /** Chooses the host, auth, content type and extra headers. */
  void choose(boolean hasBody) {
    host();
    auth();
    if (hasBody) {
      contentType();
    }
    if (junk.chance(35)) {
      for (int i = 1 + junk.below(3); i > 0; i--) {
        extra();
      }
    }
  }

  private void host() {
    int roll = junk.below(100);
    if (roll < 97) {
      header("Host", "relay");
    } else if (roll < 98) {
      applied.add("no-host");
    } else if (roll < 99) {
      applied.add("two-hosts");
      header("Host", "relay").header("Host", "evil.example");
    } else {
      applied.add("odd-host");
      header("Host", junk.pick("", "a b", "relay:99999", "[::1", "\u00e9x", "relay/x"));
    }
  }

  private void auth() {
    String k = key;
    int roll = junk.below(100);
    String form;
    if (roll < 70) {
      form = junk.pick("x-api-key", "bearer", "x-goog-api-key", "api-key", "query");
    } else if (roll < 80) {
      form = junk.pick("none", "none", "lower-bearer", "basic", "bearer-only", "two-keys");
    } else {
      form = junk.pick("x-api-key", "bearer", "query");
      k = brokenKey();
      applied.add("bad-key");
    }
    applied.add("auth:" + form);
    switch (form) {
      case "x-api-key" -> header("x-api-key", k);
      case "bearer" -> header("Authorization", "Bearer " + k);
      case "x-goog-api-key" -> header("x-goog-api-key", k);
      case "api-key" -> header("api-key", k);
      case "query" -> queryKey = k;
      case "lower-bearer" -> header("authorization", "bearer  " + k + " ");
      case "basic" -> header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(Junk.utf8("user:" + k)));
      case "bearer-only" -> header("Authorization", junk.pick("Bearer", "Bearer ", "Bearer\t", "Token " + k));
      case "two-keys" -> header("x-api-key", brokenKey()).header("Authorization", "Bearer " + k);
      default -> { }
    }
  }

  private String brokenKey() {
    return switch (junk.below(8)) {
      case 0 -> key.substring(0, key.length() - 1);
      case 1 -> key + junk.pick("0", " ", "\u00e9", "%00");
      case 2 -> key.toUpperCase(java.util.Locale.ROOT);
      case 3 -> "cr_" + "0".repeat(64);
      case 4 -> "cr_" + junk.letters(64);
      case 5 -> junk.string();
      case 6 -> "sk-ant-api03-" + junk.letters(40);
      default -> "";
    };
  }

  private void contentType() {
    int roll = junk.below(100);
    if (roll < 78) {
      header("content-type", "application/json");
      return;
    }
    String ct = junk.pick("none", "text/plain", "application/json; charset=latin1", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "a/b/c", "", "application/json;;;", "APPLICATION/JSON",
        "application/json; charset=utf-16", "application/octet-stream", "*/*", "application/json, text/plain");
    applied.add("ct:" + ct);
    if (!ct.equals("none")) {
      header("content-type", ct);
    }
  }

  private void extra() {
    // One in four breaks the request for the HTTP layer itself (it answers before any route); the rest reach
    // the routes and, on a valid call, the upstream.
    String kind = junk.chance(25)
        ? junk.pick("control-value", "illegal-name", "folded", "huge-value", "many", "duplicate-ct")
        : junk.pick("anthropic-version", "anthropic-beta", "session", "user-agent", "accept", "accept-encoding",
            "content-encoding", "unicode-value", "expect", "upgrade", "connection", "te", "forwarded", "override",
            "origin", "cookie", "codex", "goog", "del-value");
    applied.add("h:" + kind);
    switch (kind) {
      case "anthropic-version" -> header("anthropic-version", junk.pick("2023-06-01", "", "1999", junk.string()));
      case "anthropic-beta" -> header("anthropic-beta", junk.pick("claude-code-20250219,",
          ",,,", "interleaved-thinking-2025-05-14, oauth-2025-04-20", junk.letters(1 + junk.below(300))));
      case "session" -> header(junk.pick("x-claude-code-session-id", "session_id", "session-id", "thread-id"),
          junk.chance(50) ? junk.letters(1 + junk.below(2_000)) : junk.unicode(1 + junk.below(40)));
      case "user-agent" -> header("user-agent", junk.pick("claude-cli/2.1.197 (external, cli)",
          "codex_cli_rs/0.50.0", "GeminiCLI/0.9.0/gemini-2.5-pro (linux; x64)", "", junk.unicode(20),
          junk.letters(1 + junk.below(8_000))));
      case "accept" -> header("accept", junk.pick("text/event-stream", "*/*", "application/xml", "", "a/b;q=x"));
      case "accept-encoding" -> header("accept-encoding", junk.pick("gzip", "br", "zstd", "identity;q=0", "x"));
      case "content-encoding" -> header("content-encoding", junk.pick("gzip", "deflate", "br", "x"));
      case "unicode-value" -> header("x-fuzz-" + junk.letters(4).replace(' ', 'a').replace(':', 'b')
          .replace('/', 'c'), junk.unicode(1 + junk.below(60)));
      // A DEL the HTTP layer lets through, in a header the relay passes on.
      case "del-value" -> header(junk.pick("anthropic-beta", "user-agent", "x-fuzz", "x-goog-api-client"),
          "a" + "\u007f".repeat(1 + junk.below(3)) + "b");
      case "control-value" -> header("x-fuzz", "a" + junk.controls(1 + junk.below(4)).replace("\r", "")
          .replace("\n", "") + "b");
      case "illegal-name" -> header(junk.pick("x fuzz", "x\u00e9", "(x)", "x\"y", "x@y", "\u0001x", "x{y}"),
          "v");
      case "folded" -> header("x-folded", "first\r\n second");
      case "huge-value" -> header("x-huge", junk.letters(junk.pick(List.of(9_000, 40_000, 70_000))));
      case "many" -> {
        for (int i = junk.pick(List.of(50, 120, 400)); i > 0; i--) {
          header("x-many-" + i, "v" + i);
        }
      }
      case "expect" -> header("expect", junk.pick("100-continue", "200-ok", ""));
      case "upgrade" -> header("connection", "Upgrade").header("upgrade", junk.pick("websocket", "h2c", "x"));
      case "connection" -> header("connection", junk.pick("close", "keep-alive", "x-api-key", "TE, foo"));
      case "te" -> header("te", junk.pick("trailers", "gzip", "chunked"));
      case "forwarded" -> header(junk.pick("x-forwarded-for", "forwarded", "x-real-ip"),
          junk.pick("203.0.113.7", "::1", "for=\"[::1]\";proto=https", junk.string()));
      case "override" -> header("x-http-method-override", junk.pick("DELETE", "GET", "PATCH"));
      case "origin" -> header("origin", junk.pick("https://evil.example", "null", ""));
      case "cookie" -> header("cookie", "session=" + junk.letters(1 + junk.below(200)));
      case "duplicate-ct" -> header("content-type", "text/plain");
      case "codex" -> header(junk.pick("chatgpt-account-id", "originator", "version", "openai-beta"),
          junk.string());
      default -> header(junk.pick("x-goog-api-client", "x-goog-user-project", "x-server-timeout"),
          junk.string());
    }
  }
}
