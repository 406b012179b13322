package dev.relaycluster.protocol.dialect;

import java.nio.ByteBuffer;

/**
 * How a successful upstream answer becomes the client's when the two frame it differently (ARCHITECTURE §1
 * step 8, "Platform framing"): a whole answer re-framed at once, a stream event by event. Error answers are
 * not re-framed. {@link #IDENTITY} passes everything unchanged.
 */
public interface AnswerFraming {

  AnswerFraming IDENTITY = new AnswerFraming() {
    @Override
    public boolean identity() {
      return true;
    }

    @Override
    public byte[] whole(byte[] body) {
      return body;
    }

    @Override
    public StreamReframer newStream() {
      return new StreamReframer() {
        @Override
        public byte[] feed(ByteBuffer chunk) {
          byte[] out = new byte[chunk.remaining()];
          chunk.duplicate().get(out);
          return out;
        }

        @Override
        public byte[] end() {
          return new byte[0];
        }
      };
    }

    @Override
    public String streamContentType() {
      return null;
    }
  };

  /** Whether bytes pass unchanged (the relay then skips re-framing altogether). */
  boolean identity();

  /** A successful whole answer, re-framed. */
  byte[] whole(byte[] body);

  /** A re-framer for one successful streamed answer. */
  StreamReframer newStream();

  /** The content type of the re-framed stream, or null to keep upstream's. */
  String streamContentType();
}
