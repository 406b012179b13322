package dev.relaycluster.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One raw TCP connection to a node, for tests that need control of every byte a client sends and of
 * when it sends them (half a request head, a stalled body, an idle socket). Every read has a deadline.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code 127.0.0.1:port}; every read waits at most {@code readTimeout}. */
  public static RawHttp open(int port, Duration readTimeout) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) readTimeout.toMillis());
    return new RawHttp(socket);
  }

  /** Connects to {@code 127.0.0.1:port} from another loopback address (such as 127.0.0.2). */
  public static RawHttp openFrom(String localAddress, int port, Duration readTimeout) throws IOException {
    Socket socket = new Socket();
    socket.bind(new java.net.InetSocketAddress(localAddress, 0));
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout((int) readTimeout.toMillis());
    return new RawHttp(socket);
  }

  /** Sends {@code request} on a new connection and returns everything until the node closes it. */
  public static String exchange(int port, String request, Duration readTimeout) throws IOException {
    try (RawHttp c = open(port, readTimeout)) {
      return c.send(request).readToClose();
    }
  }

  public RawHttp send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /**
   * Everything the node sends until it closes the connection.
   *
   * @throws SocketTimeoutException when the node neither sends nor closes within the read timeout
   */
  public String readToClose() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException reset) {
      // A reset ends the connection as well as a close does.
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  /** One answer with a {@code content-length} body, leaving the connection open: head and body. */
  public String readAnswer() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed inside an answer's head: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    byte[] body = in.readNBytes(length);
    return text + new String(body, StandardCharsets.UTF_8);
  }

  /** The status code of an answer's text. */
  public static int status(String answer) {
    if (!answer.startsWith("HTTP/1.1 ")) {
      throw new IllegalStateException("not an HTTP answer: " + answer);
    }
    return Integer.parseInt(answer.substring(9, 12));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
