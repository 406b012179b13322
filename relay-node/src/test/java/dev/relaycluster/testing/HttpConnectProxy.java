package dev.relaycluster.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP CONNECT proxy on loopback (RFC 9110 §9.3.6): it reads the CONNECT request, checks
 * {@code Proxy-Authorization: Basic} when it was given credentials (407 with {@code Proxy-Authenticate}
 * otherwise), opens the TCP connection to the target, answers 200 and then copies bytes both ways.
 * It counts opened tunnels and remembers the requested targets.
 */
public final class HttpConnectProxy implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "http-connect-proxy");
    t.setDaemon(true);
    return t;
  });
  private final String expectedAuthorization;
  private final AtomicInteger tunnels = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final List<String> targets = Collections.synchronizedList(new ArrayList<>());

  /** A proxy without authentication. */
  public HttpConnectProxy() throws IOException {
    this(null, null);
  }

  /** A proxy that requires these Basic credentials (when {@code username} is not null). */
  public HttpConnectProxy(String username, String password) throws IOException {
    this.expectedAuthorization = username == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Tunnels opened (CONNECT answered 200). */
  public int tunnels() {
    return tunnels.get();
  }

  /** CONNECT requests turned away (407 or 502). */
  public int refused() {
    return refused.get();
  }

  /** The host:port of every CONNECT request, in order. */
  public List<String> targets() {
    synchronized (targets) {
      return List.copyOf(targets);
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> handle(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try {
      List<String> head = readHead(client.getInputStream());
      if (head.isEmpty()) {
        client.close();
        return;
      }
      String[] requestLine = head.get(0).split(" ");
      OutputStream out = client.getOutputStream();
      if (requestLine.length != 3 || !requestLine[0].equals("CONNECT")) {
        answer(out, "405 Method Not Allowed");
        client.close();
        return;
      }
      String target = requestLine[1];
      targets.add(target);
      String authorization = head.stream().skip(1)
          .filter(h -> h.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:"))
          .map(h -> h.substring(h.indexOf(':') + 1).strip()).findFirst().orElse(null);
      if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
        refused.incrementAndGet();
        out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test-proxy\"\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        client.close();
        return;
      }
      int colon = target.lastIndexOf(':');
      Socket upstream;
      try {
        upstream = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
      } catch (IOException e) {
        refused.incrementAndGet();
        answer(out, "502 Bad Gateway");
        client.close();
        return;
      }
      out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      tunnels.incrementAndGet();
      SocketPipe.run(client, upstream);
    } catch (IOException e) {
      SocketPipe.closeQuietly(client);
    }
  }

  private static void answer(OutputStream out, String status) throws IOException {
    out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads the request head byte by byte (so no tunnelled byte is consumed), without the blank line. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.US_ASCII).replaceAll("\r$", "");
        line.reset();
        if (text.isEmpty()) {
          return lines;
        }
        lines.add(text);
      } else {
        line.write(b);
      }
    }
    return List.of();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
