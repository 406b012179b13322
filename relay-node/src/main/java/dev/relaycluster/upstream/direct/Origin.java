package dev.relaycluster.upstream.direct;

import java.util.Locale;
import org.apache.pekko.http.javadsl.model.Uri;

/** Where a request goes: scheme, host and port, the key of a connection pool. */
record Origin(boolean tls, String host, int port) {

  static Origin of(Uri uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("unsupported upstream scheme " + scheme);
    }
    boolean tls = scheme.equals("https");
    String host = uri.host().address();
    if (host.isEmpty()) {
      throw new IllegalArgumentException("upstream URL has no host");
    }
    int port = uri.port() > 0 ? uri.port() : tls ? 443 : 80;
    return new Origin(tls, host, port);
  }

  /** The Host header: the port only when it is not the scheme's default. */
  String hostHeader() {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return port == (tls ? 443 : 80) ? h : h + ":" + port;
  }
}
