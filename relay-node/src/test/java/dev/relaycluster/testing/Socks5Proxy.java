package dev.relaycluster.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real SOCKS5 proxy on loopback: RFC 1928 method selection and CONNECT, RFC 1929
 * username/password when it was given credentials. Host names (ATYP 3) are resolved here, by the
 * proxy, through {@code hosts} first (so tests can use names only the proxy knows), then DNS. It
 * counts opened tunnels and remembers each request's address type and host.
 */
public final class Socks5Proxy implements AutoCloseable {
  /** One CONNECT request as received: address type (1, 3 or 4) and host as sent. */
  public record Request(int addressType, String host, int port) {}

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "socks5-proxy");
    t.setDaemon(true);
    return t;
  });
  private final String username;
  private final String password;
  private final Map<String, String> hosts;
  private final AtomicInteger tunnels = new AtomicInteger();
  private final AtomicInteger authFailures = new AtomicInteger();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param username null for a proxy without authentication
   * @param hosts names this proxy resolves itself (name → IP literal)
   */
  public Socks5Proxy(String username, String password, Map<String, String> hosts) throws IOException {
    this.username = username;
    this.password = password;
    this.hosts = Map.copyOf(hosts);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  public int tunnels() {
    return tunnels.get();
  }

  public int authFailures() {
    return authFailures.get();
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
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
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) {
        client.close();
        return;
      }
      byte[] methods = in.readNBytes(in.readUnsignedByte());
      int wanted = username == null ? 0x00 : 0x02;
      boolean offered = false;
      for (byte m : methods) {
        offered |= (m & 0xFF) == wanted;
      }
      if (!offered) {
        out.write(new byte[] {5, (byte) 0xFF});
        out.flush();
        client.close();
        return;
      }
      out.write(new byte[] {5, (byte) wanted});
      out.flush();
      if (username != null) {
        if (in.readUnsignedByte() != 1) {
          client.close();
          return;
        }
        String user = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        String pass = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        boolean ok = username.equals(user) && password.equals(pass);
        out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
        out.flush();
        if (!ok) {
          authFailures.incrementAndGet();
          client.close();
          return;
        }
      }
      int version = in.readUnsignedByte();
      int command = in.readUnsignedByte();
      in.readUnsignedByte();
      int addressType = in.readUnsignedByte();
      String host = switch (addressType) {
        case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
        case 4 -> InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
        case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
        default -> null;
      };
      int port = in.readUnsignedShort();
      if (version != 5 || host == null) {
        reply(out, 8);
        client.close();
        return;
      }
      requests.add(new Request(addressType, host, port));
      if (command != 1) {
        reply(out, 7);
        client.close();
        return;
      }
      Socket upstream;
      try {
        upstream = new Socket(hosts.getOrDefault(host, host), port);
      } catch (IOException e) {
        reply(out, 5);
        client.close();
        return;
      }
      reply(out, 0);
      tunnels.incrementAndGet();
      SocketPipe.run(client, upstream);
    } catch (IOException e) {
      SocketPipe.closeQuietly(client);
    }
  }

  /** VER REP RSV, bound address 0.0.0.0:0 (ATYP 1). */
  private static void reply(OutputStream out, int code) throws IOException {
    out.write(new byte[] {5, (byte) code, 0, 1, 0, 0, 0, 0, 0, 0});
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
