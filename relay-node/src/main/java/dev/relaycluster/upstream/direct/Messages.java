package dev.relaycluster.upstream.direct;

import dev.relaycluster.upstream.HeaderPolicy;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/** Pekko HTTP request model to Netty's wire objects and Netty's response head back to the model. */
final class Messages {
  /** Parsed content types by header value: upstream sends a handful of distinct ones. */
  private static final Map<String, ContentType> CONTENT_TYPES = new ConcurrentHashMap<>();
  private static final int CONTENT_TYPES_KEPT = 64;

  private Messages() {}

  /**
   * The request in origin form, with Host, Content-Type and Content-Length; its body is strict
   * ({@link DirectHttpClient#send} takes no other).
   */
  static FullHttpRequest request(HttpRequest request, Origin origin) {
    HttpEntity entity = request.entity();
    ByteString data = ((HttpEntity.Strict) entity).getData();
    String path = request.getUri().path();
    String target = (path.isEmpty() ? "/" : path)
        + request.getUri().rawQueryString().map(q -> "?" + q).orElse("");
    FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(request.method().value()), target,
        data.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(data.asByteBuffer()));
    HttpHeaders headers = out.headers();
    headers.set(HttpHeaderNames.HOST, origin.hostHeader());
    for (HttpHeader h : request.getHeaders()) {
      if (!HeaderPolicy.hopByHop(h.lowercaseName())) {
        headers.add(h.name(), h.value());
      }
    }
    ContentType contentType = entity.getContentType();
    if (!contentType.equals(ContentTypes.NO_CONTENT_TYPE)) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, contentType.toString());
    }
    if (!data.isEmpty() || !request.method().value().equals("GET")) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, data.size());
    }
    return out;
  }

  static StatusCode status(int code, String reason) {
    return StatusCodes.lookup(code).orElseGet(() -> StatusCodes.custom(code, reason, reason, code < 400, true));
  }

  /** Upstream's headers as raw model headers, without the ones that describe the connection or the body. */
  static List<HttpHeader> headers(HttpHeaders headers) {
    List<HttpHeader> out = new ArrayList<>(headers.size());
    var it = headers.iteratorAsString();
    while (it.hasNext()) {
      var e = it.next();
      String name = e.getKey();
      if (!HeaderPolicy.hopByHop(name.toLowerCase(java.util.Locale.ROOT))) {
        out.add(RawHeader.create(name, e.getValue()));
      }
    }
    return out;
  }

  /** The body's content type; one that cannot be parsed is passed on as bytes. */
  static ContentType contentType(String header) {
    if (header == null || header.isBlank()) {
      return ContentTypes.APPLICATION_OCTET_STREAM;
    }
    ContentType known = CONTENT_TYPES.get(header);
    if (known != null) {
      return known;
    }
    ContentType parsed;
    try {
      parsed = ContentTypes.parse(header);
    } catch (RuntimeException e) {
      return ContentTypes.APPLICATION_OCTET_STREAM;
    }
    if (CONTENT_TYPES.size() < CONTENT_TYPES_KEPT) {
      CONTENT_TYPES.put(header, parsed);
    }
    return parsed;
  }
}
