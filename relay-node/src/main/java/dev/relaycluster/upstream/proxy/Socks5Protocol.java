package dev.relaycluster.upstream.proxy;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The client side of the SOCKS5 wire format (RFC 1928) and its username/password sub-negotiation
 * (RFC 1929), as pure functions over bytes. Host names go to the proxy unresolved (ATYP 3), so the
 * proxy does the DNS lookup; IP literals go as ATYP 1 or 4.
 */
public final class Socks5Protocol {
  static final int VERSION = 5;
  static final int METHOD_NONE = 0x00;
  static final int METHOD_PASSWORD = 0x02;
  static final int METHOD_UNACCEPTABLE = 0xFF;
  static final int PASSWORD_VERSION = 1;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Socks5Protocol() {}

  /** The method selection message: "no authentication", plus "username/password" when we have them. */
  public static ByteString greeting(boolean withPassword) {
    return withPassword
        ? ByteString.fromArray(new byte[] {VERSION, 2, METHOD_NONE, METHOD_PASSWORD})
        : ByteString.fromArray(new byte[] {VERSION, 1, METHOD_NONE});
  }

  /** RFC 1929 request: version 1, then the user name and the password, each with a one-byte length. */
  public static ByteString passwordRequest(String username, String password) {
    byte[] user = username.getBytes(StandardCharsets.UTF_8);
    byte[] pass = (password == null ? "" : password).getBytes(StandardCharsets.UTF_8);
    if (user.length < 1 || user.length > 255 || pass.length > 255) {
      throw new IllegalArgumentException("SOCKS5 user name and password must be 1 to 255 bytes");
    }
    return new ByteStringBuilder().putByte((byte) PASSWORD_VERSION).putByte((byte) user.length).putBytes(user)
        .putByte((byte) pass.length).putBytes(pass).result();
  }

  /** CONNECT to host:port; a host name is sent as a name (ATYP 3) for the proxy to resolve. */
  public static ByteString connectRequest(String host, int port) {
    ByteStringBuilder b = new ByteStringBuilder().putByte((byte) VERSION).putByte((byte) 1).putByte((byte) 0);
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (IPV4.matcher(bare).matches()) {
      b.putByte((byte) 1);
      for (String part : bare.split("\\.")) {
        b.putByte((byte) Integer.parseInt(part));
      }
    } else if (bare.contains(":")) {
      byte[] address = ipv6(bare);
      b.putByte((byte) (address.length == 4 ? 1 : 4)).putBytes(address);
    } else {
      byte[] name = bare.getBytes(StandardCharsets.US_ASCII);
      if (name.length < 1 || name.length > 255) {
        throw new IllegalArgumentException("host name too long for SOCKS5: " + bare.length() + " characters");
      }
      b.putByte((byte) 3).putByte((byte) name.length).putBytes(name);
    }
    return b.putByte((byte) (port >> 8)).putByte((byte) port).result();
  }

  /**
   * The length of the CONNECT reply at the head of {@code buffer}, or -1 while too few bytes have
   * arrived to know it. The reply is VER REP RSV ATYP BND.ADDR BND.PORT.
   */
  public static int connectReplyLength(ByteString buffer) {
    if (buffer.size() < 5) {
      return -1;
    }
    int addr = switch (buffer.apply(3) & 0xFF) {
      case 1 -> 4;
      case 4 -> 16;
      case 3 -> 1 + (buffer.apply(4) & 0xFF);
      default -> 0;
    };
    int length = 4 + addr + 2;
    return buffer.size() >= length ? length : -1;
  }

  /** RFC 1928 §6 reply field in words. */
  public static String replyMeaning(int code) {
    return switch (code) {
      case 1 -> "general SOCKS server failure";
      case 2 -> "connection not allowed by ruleset";
      case 3 -> "network unreachable";
      case 4 -> "host unreachable";
      case 5 -> "the target refused the connection";
      case 6 -> "TTL expired";
      case 7 -> "command not supported";
      case 8 -> "address type not supported";
      default -> "unknown reply code " + code;
    };
  }

  private static byte[] ipv6(String literal) {
    try {
      return java.net.InetAddress.getByName(literal).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 address: " + literal);
    }
  }
}
