package dev.relaycluster.upstream.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.openai.AzureAnswers;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.CredentialSettings;
import dev.relaycluster.upstream.UpstreamCall;
import dev.relaycluster.upstream.UpstreamUris;
import dev.relaycluster.upstream.openai.ChatUpstream;
import dev.relaycluster.upstream.openai.ResponsesPlatform;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.util.ByteString;

/**
 * Azure OpenAI accounts ({@code azure-openai}): one deployment of a resource
 * ({@code https://{resource}.openai.azure.com}), called with the {@code api-key} header. It takes OpenAI
 * Responses and Chat Completions as the client sent them, with the body's {@code model} replaced by the
 * deployment name:
 * <ul>
 *   <li>with the account's {@code apiVersion}: {@code /openai/responses?api-version=…} and
 *       {@code /openai/deployments/{deployment}/chat/completions?api-version=…};</li>
 *   <li>without: the v1 API, {@code /openai/v1/responses} and {@code /openai/v1/chat/completions}.</li>
 * </ul>
 * Streamed Chat requests ask for the usage chunk as on the OpenAI API ({@link ChatUpstream}). Azure has no
 * compaction endpoint and no WebSocket mode. Answers are judged by {@link AzureAnswers} (a missing
 * deployment blocks the account). Usage is priced as the account's {@code model} setting when it has one,
 * else as the model upstream reports, unless that is only the deployment's name.
 */
public final class AzurePlatform extends ResponsesPlatform {
  public static final String TYPE = "azure-openai";

  @Override
  public String accountType() {
    return TYPE;
  }

  @Override
  public boolean oauth() {
    return false;
  }

  @Override
  public boolean speaks(DialectId clientDialect) {
    return clientDialect == DialectId.OPENAI_RESPONSES || clientDialect == DialectId.OPENAI_CHAT;
  }

  @Override
  public boolean serves(String endpoint) {
    return RESPONSES.equals(endpoint) || ChatDialect.COMPLETIONS.equals(endpoint);
  }

  /** The path under the resource root, for the v1 API (the classic one is built in {@link #uri}). */
  @Override
  protected String path(String endpoint) {
    return ChatDialect.COMPLETIONS.equals(endpoint) ? "/openai/v1/chat/completions" : "/openai/v1/responses";
  }

  /** The resource's URI for a call; the client's query is not sent on (the account names its api-version). */
  @Override
  protected Uri uri(UpstreamCall call, Credential credential) {
    String root = resourceRoot(credential.baseUrl());
    String version = credential.setting(CredentialSettings.API_VERSION, null);
    if (version == null) {
      return UpstreamUris.of(root, path(call.endpoint()), null);
    }
    String query = "api-version=" + encode(version);
    if (ChatDialect.COMPLETIONS.equals(call.endpoint())) {
      String deployment = credential.setting(CredentialSettings.DEPLOYMENT, "");
      return UpstreamUris.of(root, "/openai/deployments/" + encode(deployment) + "/chat/completions", query);
    }
    return UpstreamUris.of(root, "/openai/responses", query);
  }

  /**
   * The resource root of the account's endpoint: an endpoint given with the API's own path
   * ({@code …/openai}, {@code …/openai/v1}) or a trailing slash is taken back to the resource.
   */
  static String resourceRoot(String endpoint) {
    String root = endpoint.strip();
    while (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    for (String suffix : new String[] {"/openai/v1", "/openai"}) {
      if (root.endsWith(suffix)) {
        return root.substring(0, root.length() - suffix.length());
      }
    }
    return root;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  protected String token(Credential credential) {
    return credential.apiKey();
  }

  /** Azure's key header; never {@code authorization} or {@code x-api-key}. */
  @Override
  protected HttpHeader authorization(Credential credential) {
    return RawHeader.create("api-key", token(credential));
  }

  /** The client's body (with usage asked for, see {@link ChatUpstream}) naming the deployment as its model. */
  @Override
  protected ByteString body(UpstreamCall call, Credential credential) {
    ByteString body = ChatUpstream.body(call);
    String deployment = credential.setting(CredentialSettings.DEPLOYMENT, null);
    if (deployment == null) {
      return body;
    }
    return Json.tryParse(body.toArrayUnsafe())
        .filter(json -> json instanceof ObjectNode)
        .map(json -> {
          ObjectNode object = (ObjectNode) json;
          if (deployment.equals(object.path("model").textValue())) {
            return body;
          }
          object.put("model", deployment);
          return ByteString.fromArrayUnsafe(Json.write(object));
        })
        .orElse(body);
  }

  @Override
  public AnswerFraming framing(UpstreamCall call) {
    return ChatUpstream.framing(call);
  }

  /** No WebSocket mode: a Codex client's socket is refused and it goes on over HTTP. */
  @Override
  public Optional<WebSocketRequest> socketRequest(UpstreamCall call, Credential credential) {
    return Optional.empty();
  }

  @Override
  public UnaryOperator<String> servedModels(Credential credential) {
    String configured = credential.setting(CredentialSettings.SERVED_MODEL, null);
    String deployment = credential.setting(CredentialSettings.DEPLOYMENT, null);
    return reported -> configured != null ? configured
        : reported == null || reported.isBlank() || reported.equals(deployment) ? null : reported;
  }

  /**
   * A one-line Chat Completions request: every chat deployment takes it on either API, where Responses needs
   * a recent api-version.
   */
  @Override
  public UpstreamCall probe(String model) {
    String body = "{\"model\":" + TextNode.valueOf(model)
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
    return new UpstreamCall(ChatDialect.COMPLETIONS, "", List.of(), ContentTypes.APPLICATION_JSON,
        ByteString.fromString(body), new RequestView(model, false, -1, true, null));
  }

  @Override
  public boolean healthHeader(String name) {
    return AzureAnswers.isHealthHeader(name);
  }

  @Override
  public AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    return AzureAnswers.classify(status, headers, body, nowMillis);
  }

  @Override
  public AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    return AzureAnswers.classifyStreamError(ChatUpstream.asErrorEvent(errorJson), nowMillis);
  }
}
