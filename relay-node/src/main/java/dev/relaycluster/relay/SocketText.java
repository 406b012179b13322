package dev.relaycluster.relay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/** A WebSocket message's whole text (a streamed one collected, up to a size). */
final class SocketText {
  private SocketText() {}

  static CompletionStage<ByteString> strict(Message message, long timeoutMillis, long maxBytes,
      Materializer materializer) {
    if (!message.isText()) {
      // The protocol has text frames only: a binary one is read like text and refused as not JSON.
      return message.asBinaryMessage().toStrict(timeoutMillis, materializer).thenApply(b -> b.getStrictData());
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      return CompletableFuture.completedFuture(ByteString.fromString(text.getStrictText()));
    }
    return text.getStreamedText().limitWeighted(maxBytes, s -> (long) s.length())
        .runFold(new StringBuilder(), StringBuilder::append, materializer)
        .thenApply(sb -> ByteString.fromString(sb.toString()));
  }
}
