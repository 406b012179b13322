package dev.relaycluster.upstream.proxy;

import dev.relaycluster.upstream.ProxySpec;
import java.net.InetSocketAddress;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.model.headers.HttpCredentials;

/** The pekko-http transport for an account's proxy: HTTP CONNECT (pekko-http's own) or SOCKS5 (ours). */
public final class ProxyTransports {
  private ProxyTransports() {}

  public static ClientTransport of(ProxySpec proxy) {
    return switch (proxy.type()) {
      case HTTP -> {
        InetSocketAddress address = InetSocketAddress.createUnresolved(proxy.host(), proxy.port());
        yield proxy.authenticated()
            ? ClientTransport.httpsProxy(address, HttpCredentials.createBasicHttpCredentials(proxy.username(),
                proxy.password() == null ? "" : proxy.password()))
            : ClientTransport.httpsProxy(address);
      }
      case SOCKS5 -> new Socks5Transport(proxy.host(), proxy.port(), proxy.display(), proxy.username(), proxy.password());
    };
  }
}
