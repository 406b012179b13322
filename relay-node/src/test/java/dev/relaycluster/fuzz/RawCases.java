package dev.relaycluster.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Inputs for the HTTP layer itself, as raw bytes on a connection of their own: malformed request lines,
 * folded and malformed headers, duplicate and invalid content-lengths, content-length with
 * transfer-encoding (smuggling attempts), bad chunk sizes, oversize heads, pipelined requests, half-closed
 * sockets, early refusals of large bodies followed by a second request, and protocol confusion (HTTP/2
 * preface, TLS bytes, WebSocket upgrades).
 */
final class RawCases {
  private static final List<String> KINDS = List.of("request-line", "header-syntax", "content-length", "smuggling",
      "chunks", "oversize", "pipelined", "half-closed", "early-refusal", "protocol");

  private static final String COUNT_BODY =
      "{\"model\":\"claude-sonnet-4-5-20250929\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final String key;

  RawCases(String key) {
    this.key = key;
  }

  FuzzInput next(int index, Junk junk) {
    String kind = junk.pick(KINDS);
    Case c = switch (kind) {
      case "request-line" -> requestLine(junk);
      case "header-syntax" -> headerSyntax(junk);
      case "content-length" -> contentLength(junk);
      case "smuggling" -> smuggling(junk);
      case "chunks" -> chunks(junk);
      case "oversize" -> oversize(junk);
      case "pipelined" -> pipelined(junk);
      case "half-closed" -> halfClosed(junk);
      case "early-refusal" -> earlyRefusal(junk);
      default -> protocol(junk);
    };
    return new FuzzInput("http", index, kind + ":" + c.what(), c.shape(), c.bytes(), c.delivery(), c.answers(),
        c.mayGoUnanswered());
  }

  private record Case(String what, byte[] bytes, FuzzInput.Delivery delivery, int answers, boolean mayGoUnanswered,
      FuzzInput.Shape shape) {
    static Case once(String what, String text) {
      return new Case(what, ascii(text), FuzzInput.Delivery.HALF_CLOSE, 1, true, FuzzInput.Shape.NONE);
    }
  }

  private Case requestLine(Junk junk) {
    String line = junk.pick("GET", "GET /", "GET / HTTP/1.1x", "GET / HTTP/2.0", "GET / HTTP/0.9", "GET  /  HTTP/1.1",
        "get /health http/1.1", "GET /health HTTP/1.1 extra", "GET /\u0000 HTTP/1.1", "G\u00c9T / HTTP/1.1",
        "GET http://relay:99999/health HTTP/1.1", "GET //health HTTP/1.1", "GET ../../health HTTP/1.1",
        "GET /health?%zz HTTP/1.1", "GET /he%00alth HTTP/1.1", "OPTIONS * HTTP/1.1", "CONNECT relay:443 HTTP/1.1",
        "X".repeat(1 + junk.below(300)) + " / HTTP/1.1", "GET /" + "a".repeat(junk.pick(List.of(5_000, 70_000)))
            + " HTTP/1.1", "\r\n\r\nGET /health HTTP/1.1", "GET /health HTTP/1.0", "GET\t/health\tHTTP/1.1");
    return Case.once(line.length() > 40 ? line.substring(0, 30) + "…" : line,
        line + "\r\nHost: relay\r\n\r\n");
  }

  private Case headerSyntax(Junk junk) {
    String header = junk.pick("X-Folded: a\r\n b", "NoColon", "Host : relay", ": empty-name", "X-\u0000: nul",
        "X-A:\u0001", "x-api-key:" + key + "\r\n\tcontinued", "Content-Type: application/json\r\n\r\n\r\n",
        "X-Bare: lf\nX-Other: y", "X-Cr: a\rb", "\u00e9: latin", "X y: z", "Host: relay\r\nHost: other");
    String lineEnd = junk.chance(15) ? "\n" : "\r\n";
    String text = "POST /api/v1/messages HTTP/1.1" + lineEnd + "Host: relay" + lineEnd + header + lineEnd
        + "content-length: 2" + lineEnd + lineEnd + "{}";
    return Case.once(header.length() > 30 ? header.substring(0, 30) : header, text);
  }

  private Case contentLength(Junk junk) {
    String cl = junk.pick("content-length: 5\r\ncontent-length: 6", "content-length: 5, 5", "content-length: 5,6",
        "content-length: -1", "content-length: 1e3", "content-length: 99999999999999999999", "content-length: +5",
        "content-length:  5 ", "content-length: 0x5", "content-length: 5\r\ncontent-length: 5", "content-length: ",
        "content-length: 9223372036854775807", "content-length: 300000");
    String text = "POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\nx-api-key: " + key
        + "\r\ncontent-type: application/json\r\n" + cl + "\r\n\r\n{\"a\":1}";
    return Case.once(cl.replace("\r\n", "|"), text);
  }

  private Case smuggling(Junk junk) {
    String smuggled = "GET /admin/api/keys HTTP/1.1\r\nHost: relay\r\n\r\n";
    String te = junk.pick("transfer-encoding: chunked", "Transfer-Encoding: chunked, identity",
        "transfer-encoding: xchunked", "Transfer-Encoding : chunked", "transfer-encoding:\tchunked",
        "transfer-encoding: chunked\r\ntransfer-encoding: identity", "transfer-encoding: identity",
        "transfer-encoding: gzip, chunked", "Transfer-Encoding: CHUNKED");
    String body;
    String cl;
    if (junk.chance(50)) {
      // CL.TE: a front end that trusts the length forwards the smuggled request as body.
      body = "0\r\n\r\n" + smuggled;
      cl = "content-length: " + body.length();
    } else {
      // TE.CL: a front end that trusts the chunks forwards a request whose length leaves the rest as a new request.
      String inner = smuggled;
      body = Integer.toHexString(inner.length()) + "\r\n" + inner + "\r\n0\r\n\r\n";
      cl = "content-length: 4";
    }
    String text = "POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\n" + cl + "\r\n" + te + "\r\n\r\n" + body;
    return new Case(te.replace("\r\n", "|") + " " + cl, ascii(text), FuzzInput.Delivery.HALF_CLOSE, 2, true,
        FuzzInput.Shape.NONE);
  }

  private Case chunks(Junk junk) {
    String size = junk.pick("zz", "-1", "fffffffffffffffff", "5;x=y", "0x5", " 5", "5 ", "", "7fffffff", "A",
        "5\r\nabc", "100000");
    String tail = junk.pick("0\r\n\r\n", "0\r\nx-trailer: 1\r\n\r\n", "0\r\n", "", "0\r\n\u0000\r\n\r\n");
    String text = "POST /gemini/v1beta/models/gemini-2.5-pro:generateContent HTTP/1.1\r\nHost: relay\r\n"
        + "x-goog-api-key: " + key + "\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
        + size + "\r\n" + "{\"contents\":[]}".substring(0, 5) + "\r\n" + tail;
    if (junk.chance(25)) {
      // An over-limit chunked body: 413 like a sized one.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(ascii("POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\nx-api-key: " + key
          + "\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"));
      byte[] body = ascii("{\"model\":\"" + "x".repeat(FuzzRig.MAX_BODY + 10_000) + "\"}");
      HttpBytes.chunked(out, body, junk);
      return new Case("over-limit", out.toByteArray(), FuzzInput.Delivery.FRESH, 1, false, FuzzInput.Shape.ANTHROPIC);
    }
    return Case.once("size:" + size.replace("\r\n", "|") + " tail:" + tail.replace("\r\n", "|"), text);
  }

  private Case oversize(Junk junk) {
    StringBuilder head = new StringBuilder("GET /health HTTP/1.1\r\nHost: relay\r\n");
    String what = junk.pick("one-huge", "many", "huge-total");
    switch (what) {
      case "one-huge" -> head.append("x-huge: ").append("a".repeat(junk.pick(List.of(20_000, 100_000)))).append("\r\n");
      case "many" -> {
        for (int i = junk.pick(List.of(200, 1_000, 3_000)); i > 0; i--) {
          head.append("x-h").append(i).append(": v\r\n");
        }
      }
      default -> {
        for (int i = 0; i < 100; i++) {
          head.append("x-h").append(i).append(": ").append("b".repeat(8_000)).append("\r\n");
        }
      }
    }
    return Case.once(what, head.append("\r\n").toString());
  }

  private Case pipelined(Junk junk) {
    int n = 2 + junk.below(8);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      all.append(switch (junk.below(5)) {
        case 0 -> "GET /health HTTP/1.1\r\nHost: relay\r\n\r\n";
        case 1 -> "POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\ncontent-length: 2\r\n\r\n{}";
        case 2 -> "POST /api/v1/messages/count_tokens HTTP/1.1\r\nHost: relay\r\nx-api-key: " + key
            + "\r\ncontent-type: application/json\r\ncontent-length: " + COUNT_BODY.length() + "\r\n\r\n" + COUNT_BODY;
        case 3 -> "GET /nowhere HTTP/1.1\r\nHost: relay\r\n\r\n";
        default -> "GET /gemini/v1beta/models HTTP/1.1\r\nHost: relay\r\nx-goog-api-key: " + key + "\r\n\r\n";
      });
    }
    return new Case(n + " requests", ascii(all.toString()), FuzzInput.Delivery.FRESH, n, false, FuzzInput.Shape.NONE);
  }

  private Case halfClosed(Junk junk) {
    String body = "{\"model\":\"gpt-5-codex\",\"input\":\"hello!\"}";
    String full = "POST /openai/v1/responses HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer " + key
        + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length() + "\r\n\r\n" + body;
    int cut = junk.chance(40) ? full.length() : junk.below(full.length());
    boolean whole = cut == full.length();
    return new Case(whole ? "whole request" : "cut at " + cut, ascii(full.substring(0, cut)),
        FuzzInput.Delivery.HALF_CLOSE, 1, !whole, FuzzInput.Shape.NONE);
  }

  /**
   * A large body the node refuses before reading it (no key, no such path, no admin token, a method not
   * served), then a second request on the same connection: both are answered unless the first answer says
   * the connection closes.
   */
  private Case earlyRefusal(Junk junk) {
    String target = junk.pick("POST /api/v1/messages", "POST /nowhere/at/all", "POST /admin/api/keys",
        "POST /gemini/v1beta/models/gemini-2.5-pro:noSuchMethod", "PUT /api/v1/messages", "POST /v1/models",
        "POST /gemini/v1internal:noSuchMethod", "POST /openai/v1/nothing", "POST /admin/api/nothing");
    int size = junk.pick(List.of(2_000, 100_000, 240_000));
    boolean chunked = junk.chance(30);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii(target + " HTTP/1.1\r\nHost: relay\r\ncontent-type: application/json\r\n"
        + (chunked ? "transfer-encoding: chunked\r\n\r\n" : "content-length: " + size + "\r\n\r\n")));
    byte[] body = ascii("{\"a\":\"" + "z".repeat(size - 8) + "\"}");
    if (chunked) {
      HttpBytes.chunked(out, body, junk);
    } else {
      out.writeBytes(body);
    }
    out.writeBytes(ascii("GET /health HTTP/1.1\r\nHost: relay\r\n\r\n"));
    String path = target.substring(target.indexOf(' ') + 1);
    return new Case(target + " " + size + (chunked ? " chunked" : ""), out.toByteArray(), FuzzInput.Delivery.FRESH, 2,
        false, FuzzInput.shapeOf(path));
  }

  private Case protocol(Junk junk) {
    return switch (junk.below(5)) {
      case 0 -> Case.once("h2-preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
      case 1 -> new Case("tls-hello", new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1,
          0x03, 0x03}, FuzzInput.Delivery.HALF_CLOSE, 1, true, FuzzInput.Shape.NONE);
      case 2 -> new Case("random-bytes", junk.bytes(1 + junk.below(4_000)), FuzzInput.Delivery.HALF_CLOSE, 1, true,
          FuzzInput.Shape.NONE);
      case 3 -> Case.once("websocket", "GET /openai/v1/responses HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Version: " + junk.pick("13", "8", "x") + "\r\nSec-WebSocket-Key: "
          + junk.pick("dGhlIHNhbXBsZSBub25jZQ==", "", "x") + "\r\n" + (junk.chance(50) ? "Authorization: Bearer "
          + key + "\r\n" : "") + "\r\n");
      default -> Case.once("http/1.0", "GET /health HTTP/1.0\r\n"
          + (junk.chance(50) ? "Connection: keep-alive\r\n" : "") + "\r\n");
    };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
