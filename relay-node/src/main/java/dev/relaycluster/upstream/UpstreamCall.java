package dev.relaycluster.upstream;

import dev.relaycluster.protocol.dialect.RequestView;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.util.ByteString;

/**
 * One client request as a platform needs it to build the upstream call: the dialect's endpoint name
 * ("messages", "responses", …), the client's query (without its relay key), headers and body as sent, and
 * what was read from it.
 */
public record UpstreamCall(String endpoint, String rawQuery, List<HttpHeader> headers, ContentType contentType,
    ByteString body, RequestView view) {}
