package dev.relaycluster.protocol.convert;

import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.StreamReframer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * An upstream's successful answer turned into the client's dialect, as an {@link AnswerFraming}: a whole
 * answer read by the upstream's codec and written by the client's, a stream decoded event by event and
 * encoded as it comes (nothing is held back beyond one partial upstream event). {@code observer} sees
 * every event on its way (the relay keeps what a later tool turn needs to be replayed).
 */
public final class AnswerConversion implements AnswerFraming {
  private final DialectCodec upstream;
  private final DialectCodec client;
  private final AnswerOptions options;
  private final Consumer<AnswerEvent> observer;
  private final String contentType;

  public AnswerConversion(DialectCodec upstream, DialectCodec client, AnswerOptions options,
      Consumer<AnswerEvent> observer, String streamContentType) {
    this.upstream = upstream;
    this.client = client;
    this.options = options;
    this.observer = observer == null ? e -> { } : observer;
    this.contentType = streamContentType;
  }

  @Override
  public boolean identity() {
    return false;
  }

  @Override
  public byte[] whole(byte[] body) {
    WholeAnswer answer = upstream.readAnswer(body);
    observeWhole(answer);
    return client.writeAnswer(answer, options);
  }

  /** Tells the observer what a whole answer holds, as if it had been streamed (calls and their reasoning). */
  private void observeWhole(WholeAnswer answer) {
    observer.accept(new AnswerEvent.Started(answer.id(), answer.model()));
    for (Part p : answer.content()) {
      if (p instanceof Part.Reasoning r) {
        observer.accept(new AnswerEvent.ReasoningStarted(r.redacted()));
        if (r.text() != null && !r.text().isEmpty()) {
          observer.accept(new AnswerEvent.ReasoningDelta(r.text()));
        }
        if (r.signature() != null) {
          observer.accept(new AnswerEvent.ReasoningSignature(r.signature(), r.origin()));
        }
      } else if (p instanceof Part.ToolCall c) {
        observer.accept(new AnswerEvent.ToolCallStarted(c.id(), c.name(), c.signature()));
        observer.accept(new AnswerEvent.ToolArgumentsDelta(c.arguments()));
      } else if (p instanceof Part.Text t) {
        observer.accept(new AnswerEvent.TextStarted());
        observer.accept(new AnswerEvent.TextDelta(t.text()));
      }
    }
    observer.accept(new AnswerEvent.UsageUpdate(answer.usage()));
    observer.accept(new AnswerEvent.Finished(answer.stopReason(), answer.stopSequence()));
  }

  @Override
  public StreamReframer newStream() {
    StreamDecoder decoder = upstream.newDecoder();
    StreamEncoder encoder = client.newEncoder(options);
    return new StreamReframer() {
      private final ByteArrayOutputStream out = new ByteArrayOutputStream();
      private final Consumer<AnswerEvent> sink = event -> {
        observer.accept(event);
        out.writeBytes(encoder.encode(event));
      };

      @Override
      public byte[] feed(ByteBuffer chunk) {
        decoder.feed(chunk, sink);
        return drain();
      }

      @Override
      public byte[] end() {
        decoder.end(sink);
        out.writeBytes(encoder.end());
        return drain();
      }

      private byte[] drain() {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
      }
    };
  }

  @Override
  public String streamContentType() {
    return contentType;
  }
}
