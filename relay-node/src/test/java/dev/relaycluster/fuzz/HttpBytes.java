package dev.relaycluster.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of an HTTP/1.1 request, framed as asked: a correct content-length, chunked (in random pieces),
 * no length at all, or a length that lies. Header names and values are written as given (ISO-8859-1 for the
 * name, UTF-8 for the value), so a test can send what no HTTP client library would.
 */
final class HttpBytes {
  /** How the body is framed. SHORT and LONG declare a content-length below or above the body's. */
  enum Framing { LENGTH, CHUNKED, NONE, SHORT, LONG }

  private final String method;
  private final String target;
  private final List<String[]> headers = new ArrayList<>();
  private byte[] body = new byte[0];
  private Framing framing = Framing.LENGTH;

  HttpBytes(String method, String target) {
    this.method = method;
    this.target = target;
  }

  HttpBytes header(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }

  HttpBytes body(byte[] bytes, Framing how) {
    this.body = bytes;
    this.framing = how;
    return this;
  }

  /**
   * Whether a connection carrying this request stays in step: its body is framed truthfully and no header
   * carries a line break (which would end the head early or fold a line).
   */
  boolean inStep() {
    for (String[] h : headers) {
      if (h[0].indexOf('\r') >= 0 || h[0].indexOf('\n') >= 0 || h[1].indexOf('\r') >= 0 || h[1].indexOf('\n') >= 0) {
        return false;
      }
    }
    return framing == Framing.LENGTH || framing == Framing.CHUNKED || (framing == Framing.NONE && body.length == 0);
  }

  byte[] bytes(Junk junk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
    out.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
    for (String[] h : headers) {
      out.writeBytes(h[0].getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(": ".getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(h[1].getBytes(StandardCharsets.UTF_8));
      out.writeBytes(CRLF);
    }
    switch (framing) {
      case LENGTH -> length(out, body.length);
      case SHORT -> length(out, junk.below(Math.max(1, body.length)));
      case LONG -> length(out, body.length + 1 + junk.below(1_000));
      case CHUNKED -> out.writeBytes("transfer-encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1));
      case NONE -> { }
    }
    out.writeBytes(CRLF);
    if (framing == Framing.CHUNKED) {
      chunked(out, body, junk);
    } else {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static void length(ByteArrayOutputStream out, long n) {
    out.writeBytes(("content-length: " + n + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The body in random pieces, then the last chunk. */
  static void chunked(ByteArrayOutputStream out, byte[] body, Junk junk) {
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, 1 + junk.below(Math.max(1, body.length / 3 + 1)));
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, at, n);
      out.writeBytes(CRLF);
      at += n;
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  static final byte[] CRLF = {'\r', '\n'};
}
