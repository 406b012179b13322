package dev.relaycluster.relay;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/** An upstream socket opened for a client's socket ({@link SocketRelay}), or the answer the client gets when none could be. */
sealed interface SocketConnection permits SocketConnection.Connected, SocketConnection.NotConnected {

  /**
   * An open leg, on the attempt that chose its account; {@code leaseId} is the lease it holds for the turn that
   * asked for it (null for the handshake of a new client socket, or when the account was taken from the replica).
   */
  record Connected(SocketLeg leg, List<HttpHeader> headers, Attempt attempt, String leaseId)
      implements SocketConnection {}

  record NotConnected(RelayAnswer answer) implements SocketConnection {}
}
