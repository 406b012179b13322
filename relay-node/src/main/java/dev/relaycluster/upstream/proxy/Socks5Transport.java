package dev.relaycluster.upstream.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.OutgoingConnection;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * A pekko-http {@link ClientTransport} that reaches every target through a SOCKS5 proxy: one TCP
 * connection to the proxy per HTTP connection, the SOCKS5 handshake on it ({@link Socks5Handshake}),
 * then the HTTP (or TLS) bytes through the tunnel. The target's host name is resolved by the proxy.
 */
public final class Socks5Transport extends ClientTransport {
  private final InetSocketAddress proxyAddress;
  private final String proxyName;
  private final String username;
  private final String password;

  public Socks5Transport(String proxyHost, int proxyPort, String proxyName, String username, String password) {
    this.proxyAddress = InetSocketAddress.createUnresolved(proxyHost, proxyPort);
    this.proxyName = proxyName;
    this.username = username;
    this.password = password;
  }

  @Override
  public Flow<ByteString, ByteString, CompletionStage<OutgoingConnection>> connectTo(
      String host, int port, ClientConnectionSettings settings, ActorSystem system) {
    Duration connectTimeout = Duration.ofMillis(settings.getConnectingTimeout().toMillis());
    Optional<Duration> idleTimeout = settings.getIdleTimeout().isFinite()
        ? Optional.of(Duration.ofMillis(settings.getIdleTimeout().toMillis()))
        : Optional.empty();
    Flow<ByteString, ByteString, CompletionStage<Tcp.OutgoingConnection>> tcp = Tcp.get(system).outgoingConnection(
        proxyAddress, settings.getLocalAddress(), settings.getSocketOptions(), true,
        Optional.of(connectTimeout), idleTimeout);
    BidiFlow<ByteString, ByteString, ByteString, ByteString, CompletionStage<Void>> handshake =
        BidiFlow.fromGraph(new Socks5Handshake(proxyName, username, password, host, port, connectTimeout));
    InetSocketAddress target = InetSocketAddress.createUnresolved(host, port);
    return handshake.join(tcp, (tunnel, connection) -> tunnel.thenCombine(connection, (ok, c) ->
        new OutgoingConnection(new org.apache.pekko.http.scaladsl.Http.OutgoingConnection(c.localAddress(), target))));
  }
}
