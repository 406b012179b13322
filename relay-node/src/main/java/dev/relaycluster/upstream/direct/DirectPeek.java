package dev.relaycluster.upstream.direct;

import dev.relaycluster.upstream.PeekableBody;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.util.ByteString;

/** A streamed answer's body read by this client, looked at before its stream runs (see {@link PeekableBody}). */
record DirectPeek(ResponseEntity entity, ResponseBody body) implements PeekableBody {
  @Override
  public CompletionStage<Optional<ByteString>> firstBytes() {
    return body.firstBytes();
  }

  @Override
  public void abandon() {
    body.abandon();
  }
}
