package dev.relaycluster.upstream.proxy;

/**
 * An account's outbound proxy could not carry a request: unreachable, refused our credentials, or
 * refused the tunnel. The message says which proxy (credentials masked) and what went wrong, so it
 * can be shown to an admin as it is; it carries no cause, so nothing below it is mistaken for an
 * answer of the upstream itself.
 */
public final class UpstreamProxyException extends RuntimeException {
  public UpstreamProxyException(String message) {
    super(message, null, false, false);
  }
}
