package dev.relaycluster.upstream.proxy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import scala.Tuple2;

/**
 * Sits between the HTTP client (top: {@code fromClient} → {@code toProxy}) and the TCP connection to
 * a SOCKS5 proxy (bottom: {@code fromProxy} → {@code toClient}). It first runs the SOCKS5
 * negotiation (method selection, optional username/password, CONNECT with the target's name), holding
 * back the client's bytes; once the proxy reports the tunnel open it completes its materialized value
 * and passes bytes both ways unchanged, chunk by chunk. Any refusal fails the stream with an
 * {@link UpstreamProxyException} that names the proxy (without its password) and the reason.
 */
final class Socks5Handshake extends GraphStageWithMaterializedValue<
    BidiShape<ByteString, ByteString, ByteString, ByteString>, CompletionStage<Void>> {

  private enum Phase { AWAIT_METHOD, AWAIT_PASSWORD_REPLY, AWAIT_CONNECT_REPLY, CONNECTED }

  private final Inlet<ByteString> fromClient = Inlet.create("Socks5.fromClient");
  private final Outlet<ByteString> toProxy = Outlet.create("Socks5.toProxy");
  private final Inlet<ByteString> fromProxy = Inlet.create("Socks5.fromProxy");
  private final Outlet<ByteString> toClient = Outlet.create("Socks5.toClient");
  private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape =
      new BidiShape<>(fromClient, toProxy, fromProxy, toClient);

  private final String proxyName;
  private final String username;
  private final String password;
  private final String targetHost;
  private final int targetPort;
  private final Duration handshakeTimeout;

  Socks5Handshake(String proxyName, String username, String password, String targetHost, int targetPort,
      Duration handshakeTimeout) {
    this.proxyName = proxyName;
    this.username = username;
    this.password = password;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.handshakeTimeout = handshakeTimeout;
  }

  @Override
  public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Tuple2<GraphStageLogic, CompletionStage<Void>> createLogicAndMaterializedValue(Attributes attributes) {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    return new Tuple2<>(new Logic(connected), connected);
  }

  private final class Logic extends TimerGraphStageLogic {
    private final CompletableFuture<Void> connected;
    private Phase phase = Phase.AWAIT_METHOD;
    private ByteString received = ByteString.emptyByteString();
    private ByteString pendingToProxy;
    private boolean clientFinished;

    Logic(CompletableFuture<Void> connected) {
      super(shape);
      this.connected = connected;
      setHandler(fromClient, new AbstractInHandler() {
        @Override
        public void onPush() {
          push(toProxy, grab(fromClient));
        }

        @Override
        public void onUpstreamFinish() {
          clientFinished = true;
          if (phase == Phase.CONNECTED) {
            complete(toProxy);
          }
        }
      });
      setHandler(toProxy, new AbstractOutHandler() {
        @Override
        public void onPull() {
          if (pendingToProxy != null) {
            ByteString message = pendingToProxy;
            pendingToProxy = null;
            push(toProxy, message);
          } else if (phase == Phase.CONNECTED && !clientFinished && !hasBeenPulled(fromClient)) {
            pull(fromClient);
          }
        }
      });
      setHandler(fromProxy, new AbstractInHandler() {
        @Override
        public void onPush() {
          ByteString bytes = grab(fromProxy);
          if (phase == Phase.CONNECTED) {
            push(toClient, bytes);
          } else {
            received = received.concat(bytes);
            negotiate();
          }
        }

        @Override
        public void onUpstreamFinish() {
          if (phase == Phase.CONNECTED) {
            if (received.isEmpty()) {
              complete(toClient);
            } else {
              emit(toClient, received, () -> complete(toClient));
              received = ByteString.emptyByteString();
            }
          } else {
            refuse("closed the connection during the SOCKS5 handshake");
          }
        }

        @Override
        public void onUpstreamFailure(Throwable failure) {
          if (phase == Phase.CONNECTED) {
            failStage(failure);
          } else {
            Throwable reason = ProxyErrors.translate(failure, proxyName, targetHost + ":" + targetPort);
            connected.completeExceptionally(reason);
            failStage(reason);
          }
        }
      });
      setHandler(toClient, new AbstractOutHandler() {
        @Override
        public void onPull() {
          if (phase != Phase.CONNECTED) {
            return;
          }
          if (!received.isEmpty()) {
            ByteString early = received;
            received = ByteString.emptyByteString();
            push(toClient, early);
          } else if (!hasBeenPulled(fromProxy)) {
            pull(fromProxy);
          }
        }
      });
    }

    @Override
    public void preStart() {
      scheduleOnce("handshake", handshakeTimeout);
      send(Socks5Protocol.greeting(username != null && !username.isEmpty()));
      pull(fromProxy);
    }

    @Override
    public void onTimer(Object key) {
      if (phase != Phase.CONNECTED) {
        refuse("did not finish the SOCKS5 handshake within " + handshakeTimeout.toSeconds() + " s");
      }
    }

    @Override
    public void postStop() {
      if (!connected.isDone()) {
        connected.completeExceptionally(
            new UpstreamProxyException("SOCKS5 proxy " + proxyName + ": the connection ended before the tunnel opened"));
      }
    }

    private void send(ByteString message) {
      if (isAvailable(toProxy)) {
        push(toProxy, message);
      } else {
        pendingToProxy = message;
      }
    }

    /** Consumes as many proxy replies as have fully arrived; asks for more bytes when one is incomplete. */
    private void negotiate() {
      while (phase != Phase.CONNECTED) {
        if (phase == Phase.AWAIT_METHOD || phase == Phase.AWAIT_PASSWORD_REPLY) {
          if (received.size() < 2) {
            break;
          }
          int version = received.apply(0) & 0xFF;
          int value = received.apply(1) & 0xFF;
          received = received.drop(2);
          if (phase == Phase.AWAIT_METHOD) {
            if (version != Socks5Protocol.VERSION) {
              refuse("is not a SOCKS5 proxy (it answered with version " + version + ")");
              return;
            }
            if (value == Socks5Protocol.METHOD_PASSWORD && username != null && !username.isEmpty()) {
              phase = Phase.AWAIT_PASSWORD_REPLY;
              send(Socks5Protocol.passwordRequest(username, password));
            } else if (value == Socks5Protocol.METHOD_NONE) {
              phase = Phase.AWAIT_CONNECT_REPLY;
              send(Socks5Protocol.connectRequest(targetHost, targetPort));
            } else {
              refuse(username == null || username.isEmpty()
                  ? "requires authentication, and no username/password is configured for it"
                  : "accepts none of the offered authentication methods");
              return;
            }
          } else {
            if (value != 0) {
              refuse("refused the username/password (check the proxy credentials)");
              return;
            }
            phase = Phase.AWAIT_CONNECT_REPLY;
            send(Socks5Protocol.connectRequest(targetHost, targetPort));
          }
        } else {
          int length = Socks5Protocol.connectReplyLength(received);
          if (length < 0) {
            break;
          }
          int reply = received.apply(1) & 0xFF;
          received = received.drop(length);
          if (reply != 0) {
            refuse("could not connect to " + targetHost + ":" + targetPort + ": " + Socks5Protocol.replyMeaning(reply));
            return;
          }
          open();
          return;
        }
      }
      if (!hasBeenPulled(fromProxy) && !isClosed(fromProxy)) {
        pull(fromProxy);
      }
    }

    private void open() {
      phase = Phase.CONNECTED;
      cancelTimer("handshake");
      connected.complete(null);
      if (clientFinished) {
        complete(toProxy);
      } else if (isAvailable(toProxy) && pendingToProxy == null && !hasBeenPulled(fromClient)) {
        pull(fromClient);
      }
      if (isAvailable(toClient)) {
        if (!received.isEmpty()) {
          ByteString early = received;
          received = ByteString.emptyByteString();
          push(toClient, early);
        } else if (!hasBeenPulled(fromProxy)) {
          pull(fromProxy);
        }
      }
    }

    private void refuse(String reason) {
      failWith(new UpstreamProxyException("SOCKS5 proxy " + proxyName + " " + reason));
    }

    private void failWith(RuntimeException failure) {
      connected.completeExceptionally(failure);
      failStage(failure);
    }
  }
}
