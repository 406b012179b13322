package dev.relaycluster.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP/1.1 bytes of {@link MockGemini}: reads one request (content-length or chunked body) from a raw
 * socket and writes whole answers (content-length) or chunked streams, with the response headers Google's
 * front ends send.
 */
final class MockGeminiWire {
  /** Headers every Google answer carries (besides content-type and length). */
  static final String GOOGLE_HEADERS = "vary: Origin\r\nvary: X-Origin\r\nvary: Referer\r\n"
      + "server: scaffolding on HTTPServer2\r\nx-xss-protection: 0\r\nx-frame-options: SAMEORIGIN\r\n"
      + "x-content-type-options: nosniff\r\nserver-timing: gfet4t7; dur=42\r\n";

  static final String JSON = "application/json; charset=UTF-8";
  static final String SSE = "text/event-stream";

  private MockGeminiWire() {}

  /** One request, or null when the client closed the connection before sending one. */
  static MockGemini.Received read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new EOFException("request head cut");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      while (true) {
        int n = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
        if (n == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          break;
        }
        all.write(in.readNBytes(n));
        readLine(in);
      }
      body = all.toByteArray();
    } else {
      body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    }
    String target = requestLine.length > 1 ? requestLine[1] : "/";
    int q = target.indexOf('?');
    String path = URLDecoder.decode(q < 0 ? target : target.substring(0, q), StandardCharsets.UTF_8);
    String query = q < 0 ? "" : target.substring(q + 1);
    return new MockGemini.Received(requestLine[0], path, query, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException();
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  /** The decoded query parameters (first value of each name). */
  static Map<String, String> query(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(name, value);
    }
    return out;
  }

  /** A whole answer with content-length; the connection stays open. */
  static void send(OutputStream out, int status, String contentType, String body, String extraHeaders)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\ncontent-type: " + contentType + "\r\n"
        + GOOGLE_HEADERS + extraHeaders + "content-length: " + b.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  /** The head of a 200 chunked answer. */
  static void streamHead(OutputStream out, String contentType) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\ncontent-type: " + contentType + "\r\n" + GOOGLE_HEADERS
        + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  static void chunk(OutputStream out, byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b, off, len);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Writes text as several chunks whose borders fall inside JSON values and inside multi-byte characters
   * (cuts at a third, inside the first non-ASCII character, and ten bytes before the end), then flushes.
   */
  static void chunkedInPieces(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int multiByte = -1;
    for (int i = 0; i < bytes.length; i++) {
      if ((bytes[i] & 0x80) != 0) {
        multiByte = i + 1; // between the lead byte and its continuation
        break;
      }
    }
    int[] cuts = {0, Math.min(37, bytes.length), bytes.length / 3, multiByte < 0 ? bytes.length / 2 : multiByte,
        Math.max(0, bytes.length - 10), bytes.length};
    java.util.Arrays.sort(cuts);
    for (int i = 0; i + 1 < cuts.length; i++) {
      chunk(out, bytes, cuts[i], cuts[i + 1] - cuts[i]);
    }
    out.flush();
  }

  static void chunk(OutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    chunk(out, b, 0, b.length);
    out.flush();
  }

  static void endChunks(OutputStream out) throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Server Error" : "Error";
    };
  }
}
