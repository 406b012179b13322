package dev.relaycluster.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link MockFault}s a mock plays, per credential, and how they are played on the raw socket in a dialect's
 * {@link Wire}. Every HTTP chunk goes out in one write, so an event is never split by the mock itself; the
 * connection always ends after a fault (the head says {@code connection: close}).
 */
public final class MockFaults {
  /**
   * Pause after the output of an after-output fault before the break itself, so that the relay has passed the
   * output on (a break in the same read as the output is, rightly, failed over before the first byte).
   */
  static final long BREAK_AFTER_MILLIS = 300;
  /** Pause between the events of {@link MockFault#SLOW}. */
  public static final long SLOW_GAP_MILLIS = 150;
  /** Events in the {@link MockFault#HUGE} stream. */
  public static final int HUGE_EVENTS = 4000;
  /** Characters of text in the {@link MockFault#HUGE} whole answer. */
  public static final int HUGE_TEXT_CHARS = 6 * 1024 * 1024;
  /** The text that ends the huge answers, so a client can tell it got all of it. */
  public static final String HUGE_END = "[end of the huge answer]";
  /** The text of an ordinary faulty-mock answer, in pieces. */
  public static final List<String> DELTAS = List.of("Hello", " from", " the", " fault", " mock", ".");

  /** How one dialect's answers look on the wire. */
  public interface Wire {
    /** Extra header lines ("name: value\r\n" each) of a successful answer. */
    String headers();

    /** The content type of a streamed answer. */
    default String streamType() {
      return "text/event-stream; charset=utf-8";
    }

    /** The events of a streamed answer whose text comes in these pieces, final event(s) included. */
    List<String> events(List<String> deltas);

    /** How many of the {@link #events} of {@link #DELTAS} come before the stream's end (its final events). */
    int outputEvents();

    /** The whole (non-streamed) JSON answer of this text. */
    String whole(String text);

    /** The dialect's in-stream error event as the first event (nothing before it). */
    String errorFirst();

    /** The dialect's in-stream error event after output. */
    String errorAfterOutput();
  }

  private final Map<String, MockFault> always = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> played = new ConcurrentHashMap<>();

  /** Every request with this credential gets this fault from now on; null: normal answers again. */
  public void set(String credential, MockFault fault) {
    if (fault == null) {
      always.remove(credential);
    } else {
      always.put(credential, fault);
    }
  }

  /** The fault for a request made with this credential (counted as played), or null. */
  MockFault take(String credential) {
    MockFault f = credential == null ? null : always.get(credential);
    if (f != null) {
      played.computeIfAbsent(credential, c -> new AtomicInteger()).incrementAndGet();
    }
    return f;
  }

  /** How many requests with this credential got a fault. */
  public int played(String credential) {
    AtomicInteger n = played.get(credential);
    return n == null ? 0 : n.get();
  }

  /** Plays a fault on the socket; the caller closes the connection afterwards (a reset has closed it already). */
  static void play(MockFault fault, Wire wire, Socket socket, boolean stream) throws IOException, InterruptedException {
    OutputStream out = socket.getOutputStream();
    List<String> events = wire.events(DELTAS);
    List<String> output = events.subList(0, Math.max(1, Math.min(wire.outputEvents(), events.size() - 1) * 2 / 3));
    switch (fault) {
      case RESET_BEFORE_HEADERS -> reset(socket);
      case GARBAGE_INSTEAD_OF_HTTP -> {
        out.write(garbage(4096));
        out.flush();
      }
      case GARBAGE_AFTER_HEADERS -> {
        if (stream) {
          streamHead(out, wire);
          for (int i = 0; i < 3; i++) {
            chunk(out, garbage(1024));
          }
          end(out);
        } else {
          byte[] g = garbage(2048);
          wholeHead(out, wire, g.length);
          out.write(g);
          out.flush();
        }
      }
      case STALL -> {
        if (stream) {
          streamHead(out, wire);
        } else {
          wholeHead(out, wire, wire.whole(String.join("", DELTAS)).getBytes(StandardCharsets.UTF_8).length);
        }
        stall(socket);
      }
      case ERROR_FIRST -> {
        streamHead(out, wire);
        chunk(out, wire.errorFirst());
        end(out);
      }
      case ERROR_AFTER_OUTPUT -> {
        streamHead(out, wire);
        chunks(out, output);
        Thread.sleep(BREAK_AFTER_MILLIS);
        chunk(out, wire.errorAfterOutput());
        end(out);
      }
      case CUT_RESET -> {
        streamHead(out, wire);
        chunks(out, output);
        // The relay reads (and passes on) what came before the reset, which would drop unread bytes.
        Thread.sleep(BREAK_AFTER_MILLIS);
        reset(socket);
      }
      case CUT_CLEAN -> {
        streamHead(out, wire);
        chunks(out, output);
        Thread.sleep(BREAK_AFTER_MILLIS);
        end(out);
      }
      case STALL_AFTER_OUTPUT -> {
        streamHead(out, wire);
        chunks(out, output);
        stall(socket);
      }
      case SLOW -> slow(out, wire, events, stream);
      case HUGE -> huge(out, wire, stream);
      default -> throw new IllegalStateException(fault.name());
    }
  }

  private static void slow(OutputStream out, Wire wire, List<String> events, boolean stream)
      throws IOException, InterruptedException {
    if (stream) {
      streamHead(out, wire);
      for (String e : events) {
        chunk(out, e);
        Thread.sleep(SLOW_GAP_MILLIS);
      }
      end(out);
      return;
    }
    byte[] b = wire.whole(String.join("", DELTAS)).getBytes(StandardCharsets.UTF_8);
    wholeHead(out, wire, b.length);
    int pieces = 6;
    for (int i = 0; i < pieces; i++) {
      int from = b.length * i / pieces;
      out.write(b, from, b.length * (i + 1) / pieces - from);
      out.flush();
      Thread.sleep(SLOW_GAP_MILLIS);
    }
  }

  private static void huge(OutputStream out, Wire wire, boolean stream) throws IOException {
    if (stream) {
      List<String> deltas = new ArrayList<>();
      for (int i = 0; i < HUGE_EVENTS; i++) {
        deltas.add(String.format("piece %05d of a long answer, with some more words to make it longer. ", i));
      }
      deltas.add(HUGE_END);
      streamHead(out, wire);
      StringBuilder batch = new StringBuilder();
      for (String e : wire.events(deltas)) {
        batch.append(e);
        if (batch.length() > 32 * 1024) {
          chunk(out, batch.toString());
          batch.setLength(0);
        }
      }
      if (!batch.isEmpty()) {
        chunk(out, batch.toString());
      }
      end(out);
      return;
    }
    StringBuilder text = new StringBuilder(HUGE_TEXT_CHARS + HUGE_END.length());
    while (text.length() < HUGE_TEXT_CHARS) {
      text.append("A long line of a huge answer, repeated to make several megabytes. ");
    }
    byte[] b = wire.whole(text.append(HUGE_END).toString()).getBytes(StandardCharsets.UTF_8);
    wholeHead(out, wire, b.length);
    out.write(b);
    out.flush();
  }

  /** Bytes that are no HTTP, SSE or JSON: a fixed random mix with line ends among them. */
  static byte[] garbage(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    for (int i = 0; i < n; i += 97) {
      b[i] = '\n';
    }
    b[0] = (byte) 0xff;
    return b;
  }

  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Waits until the relay hangs up (or a minute passes). */
  private static void stall(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    socket.setSoTimeout(100);
    long until = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < until) {
      try {
        if (in.read() < 0) {
          return;
        }
      } catch (SocketTimeoutException stillThere) {
        // keep waiting
      }
    }
  }

  private static void streamHead(OutputStream out, Wire wire) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\ncontent-type: " + wire.streamType() + "\r\ncache-control: no-cache\r\n"
        + wire.headers() + "transfer-encoding: chunked\r\nconnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void wholeHead(OutputStream out, Wire wire, int length) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n" + wire.headers() + "content-length: " + length
        + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void chunks(OutputStream out, List<String> events) throws IOException {
    for (String e : events) {
      chunk(out, e);
    }
  }

  private static void chunk(OutputStream out, String text) throws IOException {
    chunk(out, text.getBytes(StandardCharsets.UTF_8));
  }

  /** One HTTP chunk in one write. */
  private static void chunk(OutputStream out, byte[] b) throws IOException {
    byte[] size = (Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[size.length + b.length + 2];
    System.arraycopy(size, 0, all, 0, size.length);
    System.arraycopy(b, 0, all, size.length, b.length);
    all[all.length - 2] = '\r';
    all[all.length - 1] = '\n';
    out.write(all);
    out.flush();
  }

  private static void end(OutputStream out) throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
