package dev.relaycluster.relay;

import dev.relaycluster.protocol.dialect.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * How a relayed request ended, before it is rendered for the client: upstream's answer passed on whole
 * or streamed (already in the client's dialect), or a refusal by the relay that the client's dialect
 * words ({@code http/DialectResponses}, or a WebSocket close).
 */
public sealed interface RelayAnswer {

  RelayAnswer withHeader(HttpHeader header);

  /** Upstream's whole answer (a success or upstream's own error), as the client gets it. */
  record Whole(HttpResponse response) implements RelayAnswer {
    @Override
    public Whole withHeader(HttpHeader header) {
      return new Whole(response.addHeader(header));
    }
  }

  /** A streamed answer; its body passes the usage tap and settles the request when it ends. */
  record Streamed(HttpResponse response) implements RelayAnswer {
    @Override
    public Streamed withHeader(HttpHeader header) {
      return new Streamed(response.addHeader(header));
    }
  }

  /** The relay refuses or gives up: {@code retryAfterSeconds} 0 when none is due. */
  record Refused(ErrorKind kind, String message, long retryAfterSeconds, List<HttpHeader> headers)
      implements RelayAnswer {

    public Refused(ErrorKind kind, String message) {
      this(kind, message, 0, List.of());
    }

    @Override
    public Refused withHeader(HttpHeader header) {
      List<HttpHeader> more = new ArrayList<>(headers);
      more.add(header);
      return new Refused(kind, message, retryAfterSeconds, List.copyOf(more));
    }
  }
}
