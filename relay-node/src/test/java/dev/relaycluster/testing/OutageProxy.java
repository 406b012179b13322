package dev.relaycluster.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder in front of a shared service (Redis, PostgreSQL) that a test can break without
 * touching the service: {@link #stall()} holds every byte both ways on open connections (a hung server),
 * {@link #down()} closes the listener and every connection (a stopped server: connections refused), and
 * {@link #resume()} / {@link #up()} undo them on the same port. It counts how often a marker string
 * appears in what clients send, so a test can tell how many commands reached the service.
 */
public final class OutageProxy implements AutoCloseable {
  private static final byte[] END = new byte[0];

  private final String targetHost;
  private final int targetPort;
  private final byte[] marker;
  private final AtomicInteger markers = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private final int port;
  private volatile ServerSocket listener;
  private boolean stalled;

  /** Forwards a free local port to {@code targetHost:targetPort}; counts {@code marker} (may be null) in what clients send. */
  public OutageProxy(String targetHost, int targetPort, String marker) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.marker = marker == null ? null : marker.getBytes(StandardCharsets.UTF_8);
    ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = first.getLocalPort();
    listen(first);
  }

  public int port() {
    return port;
  }

  /** How many times the marker appeared in bytes clients sent through this proxy (held ones included). */
  public int markersSent() {
    return markers.get();
  }

  /** From now on, bytes are read but held (neither direction is forwarded) until {@link #resume()}. */
  public void stall() {
    synchronized (gate) {
      stalled = true;
    }
  }

  /** Forwards again, held bytes first. */
  public void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  /** Stops listening and closes every connection: the service looks stopped. */
  public void down() throws IOException {
    synchronized (this) {
      ServerSocket l = listener;
      listener = null;
      if (l != null) {
        l.close();
      }
      for (Socket s : sockets) {
        SocketPipe.closeQuietly(s);
      }
      sockets.clear();
    }
  }

  /** Listens again on the same port. */
  public void up() throws IOException {
    ServerSocket l = new ServerSocket();
    l.setReuseAddress(true);
    l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    listen(l);
  }

  private void listen(ServerSocket l) {
    listener = l;
    Thread accept = new Thread(() -> {
      while (!l.isClosed()) {
        try {
          Socket client = l.accept();
          Socket server = new Socket(targetHost, targetPort);
          client.setTcpNoDelay(true);
          server.setTcpNoDelay(true);
          synchronized (this) {
            // down() may have run while this connection was being made: then it must not live on.
            if (listener != l) {
              SocketPipe.closeQuietly(client);
              SocketPipe.closeQuietly(server);
              continue;
            }
            sockets.add(client);
            sockets.add(server);
          }
          start(() -> pump(client, server, true), "outage-proxy-up");
          start(() -> pump(server, client, false), "outage-proxy-down");
        } catch (IOException e) {
          // closed by down() or close(), or the target refused: the client sees its connection end
        }
      }
    }, "outage-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  private static void start(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Copies one direction: a reader keeps reading (and counting) even while stalled, so what a client sends
   * to a hung server is still seen; the writer holds it until the proxy forwards again.
   */
  private void pump(Socket from, Socket to, boolean fromClient) {
    BlockingQueue<byte[]> held = new LinkedBlockingQueue<>();
    start(() -> forward(held, from, to), "outage-proxy-writer");
    byte[] buffer = new byte[16384];
    byte[] tail = new byte[0];
    try {
      InputStream in = from.getInputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (fromClient && marker != null) {
          tail = count(tail, buffer, n);
        }
        held.add(Arrays.copyOf(buffer, n));
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      held.add(END);
    }
  }

  private void forward(BlockingQueue<byte[]> held, Socket from, Socket to) {
    try {
      OutputStream out = to.getOutputStream();
      for (byte[] chunk = held.take(); chunk != END; chunk = held.take()) {
        synchronized (gate) {
          while (stalled) {
            gate.wait();
          }
        }
        out.write(chunk);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      SocketPipe.closeQuietly(from);
      SocketPipe.closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  /** Counts markers in the last bytes of the previous read followed by this one; returns the new tail. */
  private byte[] count(byte[] tail, byte[] buffer, int n) {
    byte[] window = new byte[tail.length + n];
    System.arraycopy(tail, 0, window, 0, tail.length);
    System.arraycopy(buffer, 0, window, tail.length, n);
    for (int i = 0; i + marker.length <= window.length; i++) {
      boolean match = true;
      for (int j = 0; j < marker.length && match; j++) {
        match = window[i + j] == marker[j];
      }
      // The tail is shorter than the marker, so every match here takes in new bytes: none is counted twice.
      if (match) {
        markers.incrementAndGet();
      }
    }
    int keep = Math.min(window.length, marker.length - 1);
    byte[] next = new byte[keep];
    System.arraycopy(window, window.length - keep, next, 0, keep);
    return next;
  }

  @Override
  public void close() throws IOException {
    resume();
    down();
  }
}
