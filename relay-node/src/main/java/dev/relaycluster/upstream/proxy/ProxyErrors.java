package dev.relaycluster.upstream.proxy;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the HTTP client reports when a proxied connection fails into an
 * {@link UpstreamProxyException} that says what an admin has to fix. With a proxy, every TCP
 * connection goes to the proxy, so a connect failure is always the proxy's.
 */
public final class ProxyErrors {
  private static final Pattern STATUS = Pattern.compile("status code: (\\d{3})\\s*(.*)");

  private ProxyErrors() {}

  /** The proxy-specific failure behind {@code failure}, or {@code failure} itself when it is not about the proxy. */
  public static Throwable translate(Throwable failure, String proxyName, String target) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CompletionException || t instanceof ExecutionException) {
        continue;
      }
      if (t instanceof UpstreamProxyException) {
        return t;
      }
      String message = String.valueOf(t.getMessage());
      if (t.getClass().getSimpleName().equals("ProxyConnectionFailedException")) {
        Matcher m = STATUS.matcher(message);
        if (m.find()) {
          int status = Integer.parseInt(m.group(1));
          String reason = m.group(2).strip();
          String hint = switch (status) {
            case 407 -> " (wrong or missing proxy username/password)";
            case 403 -> " (the proxy does not allow this destination)";
            default -> "";
          };
          return new UpstreamProxyException("HTTP proxy " + proxyName + " refused the tunnel to " + target + ": "
              + status + (reason.isEmpty() ? "" : " " + reason) + hint);
        }
        return new UpstreamProxyException("HTTP proxy " + proxyName + " did not open a tunnel to " + target);
      }
      if (t instanceof ConnectException || message.contains("Connection refused")) {
        return new UpstreamProxyException("proxy " + proxyName + " is unreachable: nothing accepts connections there");
      }
      if (t instanceof UnknownHostException) {
        return new UpstreamProxyException("proxy " + proxyName + " is unreachable: its host name does not resolve");
      }
      if (t.getClass().getSimpleName().equals("StreamTcpException")) {
        // Pekko's wording: "Tcp command [Connect(…)] failed …" and "Connection failed." (the stage stopped
        // before it connected) are a connection never made; "The connection closed with error: …" (a reset)
        // and "The connection has been aborted" are one the proxy dropped.
        if (message.startsWith("Tcp command [Connect(") || message.equals("Connection failed.")) {
          return new UpstreamProxyException("proxy " + proxyName + " is unreachable: the connection could not be made");
        }
        if (message.startsWith("The connection closed with error") || message.contains("has been aborted")) {
          String how = message.contains("has been aborted") ? "aborted"
              : message.replaceFirst("^The connection closed with error:? *", "");
          return new UpstreamProxyException("proxy " + proxyName + " dropped the connection to " + target
              + " (" + how + ")");
        }
      }
    }
    return failure;
  }
}
