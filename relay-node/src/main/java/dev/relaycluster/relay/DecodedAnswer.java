package dev.relaycluster.relay;

import dev.relaycluster.protocol.dialect.AnswerFraming;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.util.ByteString;

/**
 * A successful upstream answer in its platform's own dialect framing ({@code Platform.decoding}), before the
 * relay reads anything of it: the first-byte wait, the usage tap, the platform framing and a conversion all see
 * the decoded answer. A stream is decoded chunk by chunk and takes the decoding's content type; a whole answer
 * is decoded once it is all in (bounded by {@code maxBytes}). Identity decodings leave the response as it is.
 */
final class DecodedAnswer {
  private DecodedAnswer() {}

  static HttpResponse of(HttpResponse response, AnswerFraming decoding, boolean stream, long maxBytes) {
    if (decoding.identity()) {
      return response;
    }
    HttpEntity entity = response.entity();
    if (stream) {
      return response.withEntity(HttpEntities.createChunked(
          decoding.streamContentType() == null ? entity.getContentType()
              : ContentTypes.parse(decoding.streamContentType()),
          entity.getDataBytes().via(ReframedStream.of(decoding.newStream()))));
    }
    return response.withEntity(HttpEntities.createChunked(entity.getContentType(), entity.getDataBytes()
        .limitWeighted(maxBytes, chunk -> (long) chunk.size())
        .fold(ByteString.emptyByteString(), ByteString::concat)
        .map(all -> ByteString.fromArrayUnsafe(decoding.whole(all.toArrayUnsafe())))));
  }
}
