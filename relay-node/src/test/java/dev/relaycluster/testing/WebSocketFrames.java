package dev.relaycluster.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * RFC 6455 framing by hand for the test mocks' server side: the handshake's {@code Sec-WebSocket-Accept},
 * reading client frames (which must be masked; continuation frames are joined into one message) and
 * writing unmasked server frames. No extensions: a server that does not answer
 * {@code Sec-WebSocket-Extensions} declines the client's permessage-deflate offer.
 */
public final class WebSocketFrames {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** One message as read: the opcode of its first frame and the unmasked payload of all its frames. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or 1005 (no status) when it carries none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  private WebSocketFrames() {}

  /** The {@code Sec-WebSocket-Accept} value for a client's {@code Sec-WebSocket-Key}. */
  public static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads the next message. Control frames (ping, pong, close) come back as they arrive, even between
   * the fragments of a data message; the fragments already read are kept in {@code partial}, which the
   * caller passes again on the next call. Throws {@link EOFException} when the peer is gone.
   */
  public static Frame read(InputStream in, ByteArrayOutputStream partial, int[] partialOpcode) throws IOException {
    while (true) {
      int b0 = readByte(in);
      int b1 = readByte(in);
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0F;
      boolean masked = (b1 & 0x80) != 0;
      long length = b1 & 0x7F;
      if (length == 126) {
        length = ((long) readByte(in) << 8) | readByte(in);
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte(in);
        }
      }
      if (length > 64L * 1024 * 1024) {
        throw new IOException("frame too large: " + length);
      }
      byte[] mask = masked ? in.readNBytes(4) : null;
      byte[] payload = in.readNBytes((int) length);
      if (payload.length < length || (masked && mask.length < 4)) {
        throw new EOFException();
      }
      if (masked) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i & 3];
        }
      }
      if (opcode >= CLOSE) {
        return new Frame(opcode, payload);
      }
      if (opcode != CONTINUATION) {
        partial.reset();
        partialOpcode[0] = opcode;
      }
      partial.write(payload);
      if (fin) {
        Frame frame = new Frame(partialOpcode[0], partial.toByteArray());
        partial.reset();
        return frame;
      }
    }
  }

  /** Writes one unmasked, final frame and flushes it. */
  public static void write(OutputStream out, int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(payload.length);
    } else if (payload.length < 65536) {
      frame.write(126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(127);
      for (int i = 7; i >= 0; i--) {
        frame.write((int) (((long) payload.length >>> (8 * i)) & 0xFF));
      }
    }
    frame.write(payload);
    synchronized (out) {
      out.write(frame.toByteArray());
      out.flush();
    }
  }

  public static void writeText(OutputStream out, String text) throws IOException {
    write(out, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void writeClose(OutputStream out, int code, String reason) throws IOException {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + r.length];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(r, 0, payload, 2, r.length);
    write(out, CLOSE, payload);
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }
}
