package dev.relaycluster.alerts;

import java.net.URI;
import java.util.Map;

/** One HTTP POST to a channel: where, extra headers, and the JSON body. */
public record ChannelRequest(URI uri, Map<String, String> headers, byte[] body) {
  public ChannelRequest {
    headers = Map.copyOf(headers);
  }
}
