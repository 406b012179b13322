package dev.relaycluster.upstream;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/** Says in a few plain words why upstream could not be used, for the client; details stay in the log. */
public final class UpstreamFailures {
  private UpstreamFailures() {}

  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CompletionException || t instanceof ExecutionException) {
        continue;
      }
      // The proxy's address and user are the operator's business: clients learn only that it failed (the
      // node's log has the whole message, password masked).
      if (t instanceof dev.relaycluster.upstream.proxy.UpstreamProxyException) {
        return "the account's outbound proxy could not carry the request";
      }
      if (t instanceof IncompleteAnswerException) {
        return t.getMessage();
      }
      String m = String.valueOf(t.getMessage());
      if (t instanceof UnknownHostException || m.contains("UnknownHostException")) {
        return "upstream host name does not resolve";
      }
      if (t instanceof ConnectException || m.contains("Connection refused")) {
        return "upstream refused the connection";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to the upstream host";
      }
      if (t instanceof SSLException) {
        return "TLS handshake with upstream failed";
      }
      if (m.contains("truncation") || m.contains("closed unexpectedly")) {
        return "upstream closed the connection mid-answer";
      }
      if (m.contains("timed out") || m.contains("Timeout")) {
        return "upstream connection timed out";
      }
    }
    return "upstream connection failed";
  }

  /** The cause inside the wrappers a CompletionStage puts around a failure. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
