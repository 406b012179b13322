package dev.relaycluster.fuzz;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client socket to the node. Bytes are written on a writer thread while the answer is read, so a node
 * that answers before it has read a large body (and closes) is seen as it is, not as a stuck client.
 * Answers are read by their framing (content-length, chunked, or to the close); every read has a deadline.
 */
final class FuzzConnection implements AutoCloseable {
  private static final int MAX_HEAD = 256 * 1024;
  private static final int MAX_BODY = 32 * 1024 * 1024;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ExecutorService writers;
  private Future<?> writing;
  private boolean ended;

  FuzzConnection(int port, int readTimeoutMillis, ExecutorService writers) throws IOException {
    this.socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(readTimeoutMillis);
    socket.setTcpNoDelay(true);
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = socket.getOutputStream();
    this.writers = writers;
  }

  /** Whether another request may be sent on this connection. */
  boolean open() {
    return !ended && !socket.isClosed();
  }

  /** Starts writing {@code bytes}; with {@code halfClose}, the sending side is shut after them. */
  void send(byte[] bytes, boolean halfClose) {
    writing = writers.submit(() -> {
      out.write(bytes);
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      return null;
    });
  }

  /** Writes {@code bytes} now, on this thread (for slow senders, a few bytes at a time). */
  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Whether the last send failed (the node closed or reset the connection while it was sent). */
  boolean sendFailed() {
    if (writing == null) {
      return false;
    }
    try {
      writing.get(10, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      // The node neither reads the rest nor closes: nothing more can be said on this connection.
      close();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Reads one answer; {@code noBody} for the answer to a HEAD request. */
  FuzzAnswer read(boolean noBody) {
    try {
      String head = head();
      // An interim answer (100 Continue) comes before the real one.
      while (head != null && head.matches("(?s)HTTP/1\\.[01] 1(0[02-9]|[1-9]\\d) .*")) {
        head = head();
      }
      if (head == null) {
        ended = true;
        return FuzzAnswer.none(FuzzAnswer.Outcome.CLOSED, "closed before an answer");
      }
      if (!head.startsWith("HTTP/1.")) {
        ended = true;
        return FuzzAnswer.none(FuzzAnswer.Outcome.NOT_HTTP, head.length() > 80 ? head.substring(0, 80) : head);
      }
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].substring(9, 12));
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(new String[] {lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).strip()});
        }
      }
      FuzzAnswer bodiless = new FuzzAnswer(FuzzAnswer.Outcome.ANSWERED, status, headers, new byte[0], null);
      if (status == 101) {
        ended = true;
        return bodiless;
      }
      byte[] body = noBody || status < 200 || status == 204 || status == 304 ? new byte[0] : body(bodiless);
      FuzzAnswer answer = new FuzzAnswer(FuzzAnswer.Outcome.ANSWERED, status, headers, body, null);
      if (answer.closes() || lines[0].startsWith("HTTP/1.0")) {
        ended = true;
      }
      return answer;
    } catch (SocketTimeoutException e) {
      ended = true;
      return FuzzAnswer.none(FuzzAnswer.Outcome.TIMEOUT, "no answer within the read deadline");
    } catch (IOException | RuntimeException e) {
      ended = true;
      return FuzzAnswer.none(FuzzAnswer.Outcome.RESET, e.getClass().getSimpleName());
    }
  }

  private String head() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new IOException("closed inside an answer's head");
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
      if (head.size() > MAX_HEAD) {
        throw new IOException("answer head over " + MAX_HEAD + " bytes");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private byte[] body(FuzzAnswer head) throws IOException {
    String te = head.header("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return chunked();
    }
    String length = head.header("content-length");
    if (length != null) {
      int n = Integer.parseInt(length.strip());
      byte[] b = in.readNBytes(n);
      if (b.length < n) {
        throw new IOException("closed inside an answer's body");
      }
      return b;
    }
    ended = true;
    return in.readNBytes(MAX_BODY);
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
      if (n == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return all.toByteArray();
      }
      if (all.size() + n > MAX_BODY) {
        throw new IOException("answer body over " + MAX_BODY + " bytes");
      }
      byte[] b = in.readNBytes(n);
      if (b.length < n) {
        throw new IOException("closed inside a chunk");
      }
      all.writeBytes(b);
      line();
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("closed inside a chunk header");
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  /** Whether the node closed the connection (reads end) within {@code millis}. */
  boolean closedWithin(int millis) {
    try {
      socket.setSoTimeout(millis);
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    ended = true;
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
