package dev.relaycluster.upstream;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.util.ByteString;

/**
 * An upstream answer's body whose first bytes can be looked at before its stream is run. The relay holds a
 * streamed answer back until its first bytes came (to fail over an account that sent headers and then nothing,
 * or an error event); with this, that wait runs no stream of its own: the body's one stream is the one that
 * later carries the answer to the client, and it starts with the bytes looked at. An upstream client that can
 * offer this puts it on the answer under {@link #KEY}; {@link #of} finds it only while the answer still has the
 * entity it belongs to (a decoded or re-framed body is another entity).
 */
public interface PeekableBody {
  /** Where an upstream client puts it on its answer. */
  AttributeKey<PeekableBody> KEY = AttributeKey.create("relay-peekable-body", PeekableBody.class);

  /** The entity whose bytes these are. */
  ResponseEntity entity();

  /**
   * Completes once bytes are waiting or the body ended: with the bytes read so far (left in place for the stream,
   * which still starts with them), or empty when the body ended without a byte. Fails when upstream broke off
   * before a byte. Completes on the thread that read the bytes: continue on another executor.
   */
  CompletionStage<Optional<ByteString>> firstBytes();

  /** Stops reading: the answer is not passed on (the connection is not reused). Any thread. */
  void abandon();

  /** The answer's peekable body, if it has one that still belongs to its entity. */
  static Optional<PeekableBody> of(HttpResponse response) {
    return response.getAttribute(KEY).filter(p -> p.entity() == response.entity());
  }
}
