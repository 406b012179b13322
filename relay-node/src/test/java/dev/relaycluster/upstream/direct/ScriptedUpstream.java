package dev.relaycluster.upstream.direct;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on loopback whose answers the test writes byte by byte, so that what the client
 * does with chunk boundaries, keep-alive, early closes and slow readers can be seen. It reads each
 * request (head and Content-Length body) on a connection and hands it to the current script.
 */
final class ScriptedUpstream implements AutoCloseable {
  /** One request as received; header names in lower case. */
  record Request(String line, Map<String, String> headers, String body, int connection) {}

  /** Writes the answer to one request; return false to close the connection afterwards. */
  interface Script {
    boolean answer(Request request, OutputStream out, Socket socket) throws Exception;
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scripted-upstream");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Script script;

  ScriptedUpstream(Script script) throws IOException {
    this.script = script;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  void script(Script next) {
    this.script = next;
  }

  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.getLocalPort() + pathAndQuery;
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  List<Request> requests() {
    return requests;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        int n = connections.incrementAndGet();
        threads.execute(() -> serve(s, n));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket, int connection) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        Request r = read(in, connection);
        if (r == null) {
          return;
        }
        requests.add(r);
        if (!script.answer(r, out, socket)) {
          return;
        }
      }
    } catch (Exception e) {
      // The client went away, or the script closed the socket.
    }
  }

  private static Request read(InputStream in, int connection) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Request(lines[0], headers, body, connection);
  }

  /** An HTTP chunk of the text. */
  static byte[] chunk(String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
