package dev.relaycluster.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects the text frames of a java.net.http WebSocket (one JSON event each) and how it closed. */
public final class WsListener implements WebSocket.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  /** The close status code, once the peer closed. */
  public final CompletableFuture<Integer> closed = new CompletableFuture<>();

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      texts.add(partial.toString());
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete(-1);
  }

  /** The next frame, waiting up to 10 s. */
  public JsonNode next() throws Exception {
    String t = texts.poll(10, TimeUnit.SECONDS);
    assertNotNull(t, "no frame within 10 s");
    return JSON.readTree(t);
  }

  /** Frames up to and including the next response.completed, response.failed or error. */
  public List<JsonNode> untilDone() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      JsonNode f = next();
      out.add(f);
      String type = f.path("type").asText();
      if (type.equals("response.completed") || type.equals("response.failed") || type.equals("error")) {
        return out;
      }
    }
  }
}
