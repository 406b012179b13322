package dev.relaycluster.upstream;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * An account's outbound proxy: {@code http://[user:pass@]host:port} (HTTP CONNECT) or
 * {@code socks5://[user:pass@]host:port}. {@code toString} never shows the password.
 */
public record ProxySpec(Type type, String host, int port, String username, String password) {

  public enum Type { HTTP, SOCKS5 }

  /**
   * @throws IllegalArgumentException with a message fit for an admin if the URL is not a proxy URL
   */
  public static ProxySpec parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("proxy must be a URL like http://host:port or socks5://user:pass@host:port");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    Type type = switch (scheme) {
      case "http" -> Type.HTTP;
      case "socks5", "socks5h", "socks" -> Type.SOCKS5;
      default -> throw new IllegalArgumentException("proxy scheme must be http or socks5, not '" + scheme + "'");
    };
    if (uri.getHost() == null || uri.getPort() <= 0) {
      throw new IllegalArgumentException("proxy URL needs a host and a port");
    }
    String user = null;
    String pass = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      pass = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
    }
    return new ProxySpec(type, uri.getHost(), uri.getPort(), user, pass);
  }

  public boolean authenticated() {
    return username != null && !username.isEmpty();
  }

  /** The URL without credentials, for admin views and logs. */
  public String display() {
    return (type == Type.HTTP ? "http" : "socks5") + "://" + (authenticated() ? username + ":****@" : "")
        + host + ":" + port;
  }

  @Override
  public String toString() {
    return "ProxySpec[" + display() + "]";
  }
}
