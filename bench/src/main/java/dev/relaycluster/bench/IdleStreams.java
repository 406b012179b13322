package dev.relaycluster.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens many streaming /v1/messages requests on one NIO selector and holds them open, reading
 * slowly, so the server's memory with that many open streams can be measured.
 *
 * <pre>
 * java -cp bench/target/bench.jar dev.relaycluster.bench.IdleStreams --port 3000 --key cr_… \
 *     [--host 127.0.0.1] [--path /v1/messages?hold_ms=600000] [--count 10000] [--batch 500]
 *     [--hold-seconds 60] [--timeout-seconds 180] [--out summary.json]
 * </pre>
 *
 * A stream counts as open once its 200 status and its message_start event have arrived. When every
 * stream is open or has failed (or the timeout passes) it prints a line starting with READY, holds
 * them for --hold-seconds, closes them all and prints DONE with a JSON summary.
 */
public final class IdleStreams {
  private static final PrintStream out = System.out;

  private static final class Conn {
    final int index;
    ByteBuffer pendingWrite;
    final StringBuilder head = new StringBuilder();
    boolean connected;
    boolean open;
    boolean failed;

    Conn(int index, ByteBuffer request) {
      this.index = index;
      this.pendingWrite = request;
    }
  }

  private int connecting;
  private int waiting;
  private int open;
  private int failed;
  private int closedAfterOpen;
  private long bytesRead;
  private final Map<String, Integer> failures = new TreeMap<>();

  public static void main(String[] args) throws IOException, InterruptedException {
    new IdleStreams().run(args);
  }

  private void run(String[] args) throws IOException, InterruptedException {
    String host = "127.0.0.1";
    int port = 3000;
    String path = "/v1/messages?hold_ms=600000";
    String key = "";
    int count = 10_000;
    int batch = 500;
    long holdSeconds = 60;
    long timeoutSeconds = 180;
    String outFile = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--host" -> host = v;
        case "--port" -> port = Integer.parseInt(v);
        case "--path" -> path = v;
        case "--key" -> key = v;
        case "--count" -> count = Integer.parseInt(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--hold-seconds" -> holdSeconds = Long.parseLong(v);
        case "--timeout-seconds" -> timeoutSeconds = Long.parseLong(v);
        case "--out" -> outFile = v;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String runId = Long.toString(System.currentTimeMillis(), 36);
    String body = "{\"model\":\"" + SseAnswer.MODEL + "\",\"max_tokens\":1024,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hold this stream open for the idle-streams benchmark.\"}]}";
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    InetSocketAddress address = new InetSocketAddress(host, port);

    Selector selector = Selector.open();
    long start = System.nanoTime();
    long deadline = start + timeoutSeconds * 1_000_000_000L;
    long lastReport = 0;
    int started = 0;
    ByteBuffer readBuf = ByteBuffer.allocateDirect(256);
    while (open + failed < count && System.nanoTime() < deadline) {
      while (started < count && connecting + waiting < batch) {
        String req = "POST " + path + " HTTP/1.1\r\nhost: " + host + ":" + port
            + "\r\ncontent-type: application/json\r\nanthropic-version: 2023-06-01\r\nx-api-key: " + key
            + "\r\nx-claude-code-session-id: idle-" + runId + "-" + started
            + "\r\ncontent-length: " + bodyBytes.length + "\r\n\r\n";
        ByteBuffer request = ByteBuffer.allocate(req.length() + bodyBytes.length);
        request.put(req.getBytes(StandardCharsets.US_ASCII)).put(bodyBytes).flip();
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(started++, request);
        connecting++;
        if (ch.connect(address)) {
          connected(ch.register(selector, SelectionKey.OP_WRITE, c));
        } else {
          ch.register(selector, SelectionKey.OP_CONNECT, c);
        }
      }
      selector.select(100);
      handle(selector, readBuf);
      long now = System.nanoTime();
      if (now - lastReport > 2_000_000_000L) {
        lastReport = now;
        out.printf("progress: started %d, connecting %d, waiting %d, open %d, failed %d%n",
            started, connecting, waiting, open, failed);
      }
    }
    double rampSeconds = (System.nanoTime() - start) / 1e9;
    out.printf("READY open=%d failed=%d ramp_s=%.1f%n", open, failed, rampSeconds);
    out.flush();
    long holdUntil = System.nanoTime() + holdSeconds * 1_000_000_000L;
    while (System.nanoTime() < holdUntil) {
      selector.select(200);
      handle(selector, readBuf);
    }
    int stillOpen = open;
    for (SelectionKey k : selector.keys()) {
      k.channel().close();
    }
    selector.close();
    String json = String.format(
        "{\"requested\":%d,\"open\":%d,\"failed\":%d,\"closedAfterOpen\":%d,\"stillOpenAtEnd\":%d,"
            + "\"rampSeconds\":%.1f,\"holdSeconds\":%d,\"bytesRead\":%d,\"failures\":%s}",
        count, open + closedAfterOpen, failed, closedAfterOpen, stillOpen, rampSeconds, holdSeconds,
        bytesRead, failuresJson());
    out.println("DONE " + json);
    if (outFile != null) {
      Files.writeString(Path.of(outFile), json + "\n");
    }
  }

  private void handle(Selector selector, ByteBuffer readBuf) {
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey k = it.next();
      it.remove();
      Conn c = (Conn) k.attachment();
      SocketChannel ch = (SocketChannel) k.channel();
      try {
        if (k.isConnectable()) {
          ch.finishConnect();
          connected(k);
        }
        if (k.isValid() && k.isWritable()) {
          ch.write(c.pendingWrite);
          if (!c.pendingWrite.hasRemaining()) {
            c.pendingWrite = null;
            k.interestOps(SelectionKey.OP_READ);
          }
        }
        if (k.isValid() && k.isReadable()) {
          readBuf.clear();
          int n = ch.read(readBuf);
          if (n < 0) {
            fail(k, c, c.open ? null : "closed before message_start");
            continue;
          }
          bytesRead += n;
          if (!c.open && !c.failed) {
            readBuf.flip();
            c.head.append(StandardCharsets.ISO_8859_1.decode(readBuf));
            examine(k, c);
          }
        }
      } catch (IOException e) {
        fail(k, c, c.open ? null : e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  private void connected(SelectionKey k) {
    ((Conn) k.attachment()).connected = true;
    connecting--;
    waiting++;
    k.interestOps(SelectionKey.OP_WRITE);
  }

  private void examine(SelectionKey k, Conn c) {
    String h = c.head.toString();
    int eol = h.indexOf("\r\n");
    if (eol > 0 && !h.startsWith("HTTP/1.1 200")) {
      fail(k, c, "status " + h.substring(0, eol).replaceFirst("^HTTP/1\\.1 ", ""));
    } else if (h.contains("message_start")) {
      c.open = true;
      waiting--;
      open++;
      c.head.setLength(0);
    } else if (h.length() > 64 * 1024) {
      fail(k, c, "no message_start in the first 64 KiB");
    }
  }

  private void fail(SelectionKey k, Conn c, String reason) {
    try {
      k.channel().close();
    } catch (IOException ignored) {
      // closing anyway
    }
    if (c.open) {
      open--;
      closedAfterOpen++;
      return;
    }
    if (c.failed) {
      return;
    }
    c.failed = true;
    if (!c.connected) {
      connecting--;
    } else {
      waiting--;
    }
    failed++;
    failures.merge(reason == null ? "closed" : reason, 1, Integer::sum);
  }

  private String failuresJson() {
    StringBuilder sb = new StringBuilder("{");
    failures.forEach((reason, n) -> sb.append(sb.length() > 1 ? "," : "").append('"')
        .append(reason.replace("\\", "\\\\").replace("\"", "'")).append("\":").append(n));
    return sb.append('}').toString();
  }
}
