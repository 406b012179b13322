package dev.relaycluster.upstream.openai;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.UpstreamCall;
import dev.relaycluster.upstream.UpstreamHeaders;
import dev.relaycluster.upstream.UpstreamUris;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.util.ByteString;

/**
 * What the OpenAI Responses upstreams share (the OpenAI API, the ChatGPT backend, Azure OpenAI): the client's
 * headers (originator, version, session-id, thread-id, x-codex-*, openai-beta, user-agent) and body go up
 * unchanged, the relay key is replaced by the account's credential (a bearer token unless the platform
 * says otherwise), and upstream is asked for an uncompressed answer so the usage tap can read it. Each
 * platform names its paths (or whole URI), any header its credential type requires, and any change its
 * upstream needs in the body.
 */
public abstract class ResponsesPlatform implements Platform {
  protected static final String RESPONSES = "responses";
  protected static final String COMPACT = "compact";
  static final String SOCKET_BETA = "responses_websockets=2026-02-06";

  @Override
  public final String pool() {
    return "openai";
  }

  @Override
  public final DialectId dialect() {
    return DialectId.OPENAI_RESPONSES;
  }

  @Override
  public boolean serves(String endpoint) {
    return RESPONSES.equals(endpoint) || COMPACT.equals(endpoint);
  }

  /** The path under the account's base URL for an endpoint. */
  protected abstract String path(String endpoint);

  /** The API key or access token of the credential. */
  protected abstract String token(Credential credential);

  /** The upstream URI of a call: the endpoint's path under the account's base URL, with the client's query. */
  protected Uri uri(UpstreamCall call, Credential credential) {
    return UpstreamUris.of(credential.baseUrl(), path(call.endpoint()), call.rawQuery());
  }

  /** The header that carries the credential: {@code authorization: Bearer <token>}. */
  protected HttpHeader authorization(Credential credential) {
    return RawHeader.create("authorization", "Bearer " + token(credential));
  }

  /** The body sent upstream: the client's, unless the upstream needs it otherwise. */
  protected ByteString body(UpstreamCall call, Credential credential) {
    return call.body();
  }

  /** Headers the credential type requires besides authorization. */
  protected void addCredentialHeaders(List<HttpHeader> headers, Credential credential) {}

  @Override
  public final HttpRequest request(UpstreamCall call, Credential credential) {
    List<HttpHeader> headers = UpstreamHeaders.forwarded(call.headers(), name -> true);
    headers.add(RawHeader.create("accept-encoding", "identity"));
    headers.add(authorization(credential));
    addCredentialHeaders(headers, credential);
    return HttpRequest.create()
        .withUri(uri(call, credential))
        .withMethod(HttpMethods.POST)
        .withHeaders(headers)
        .withEntity(HttpEntities.create(call.contentType(), body(call, credential)));
  }

  /**
   * The Responses WebSocket mode: the same URL with the ws(s) scheme, the same headers, and the beta
   * flag that names the socket protocol (kept when the client sent its own).
   */
  @Override
  public Optional<WebSocketRequest> socketRequest(UpstreamCall call, Credential credential) {
    List<HttpHeader> headers = UpstreamHeaders.forwarded(call.headers(),
        name -> !name.startsWith("sec-websocket") && !name.equals("accept-encoding"));
    if (headers.stream().noneMatch(h -> h.lowercaseName().equals("openai-beta"))) {
      headers.add(RawHeader.create("openai-beta", SOCKET_BETA));
    }
    headers.add(authorization(credential));
    addCredentialHeaders(headers, credential);
    String url = UpstreamUris.join(credential.baseUrl(), path(RESPONSES)).replaceFirst("^http", "ws");
    WebSocketRequest request = WebSocketRequest.create(url);
    for (HttpHeader h : headers) {
      request = request.addHeader(h);
    }
    return Optional.of(request);
  }

  @Override
  public String probeModel() {
    return "gpt-5-codex-mini";
  }

  /** A streamed one-line request, as Codex sends them (the ChatGPT backend takes only streamed, unstored ones). */
  @Override
  public UpstreamCall probe(String model) {
    String body = "{\"model\":" + TextNode.valueOf(model) + ",\"instructions\":\"\",\"input\":[{\"type\":\"message\","
        + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"ping\"}]}],"
        + "\"store\":false,\"stream\":true}";
    return new UpstreamCall(RESPONSES, "", List.of(RawHeader.create("accept", "text/event-stream")),
        ContentTypes.APPLICATION_JSON, ByteString.fromString(body), new RequestView(model, true, -1, true, null));
  }

  @Override
  public final String modelFamily(String model) {
    // OpenAI's limits are per account (and per plan window): its verdicts cool the whole account. Only an
    // answer about the requested model itself (the ChatGPT plan's usage_not_included) cools that model alone,
    // so each model is its own family.
    return model == null || model.isBlank() ? "other" : model.strip().toLowerCase(java.util.Locale.ROOT);
  }
}
