package dev.relaycluster.upstream.gemini;

import dev.relaycluster.protocol.gemini.CodeAssistEnvelope;
import dev.relaycluster.protocol.gemini.CodeAssistLocalAnswers;
import dev.relaycluster.protocol.gemini.GeminiEndpoint;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.UpstreamCall;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * Gemini API-key accounts ({@code gemini-api}): the public API, {@code {baseUrl}/v1beta/models/{model}:{method}},
 * the key in {@code x-goog-api-key} (never in the URL). A Code Assist client's model calls are taken out of
 * their envelope and the answers put back in; its side calls (loadCodeAssist, quota, experiments), which the
 * public API has no method for, are answered by the relay itself ({@link CodeAssistLocalAnswers}).
 */
public final class GeminiApiPlatform extends GeminiPlatform {
  public static final String TYPE = "gemini-api";
  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

  @Override
  public String accountType() {
    return TYPE;
  }

  @Override
  public boolean oauth() {
    return false;
  }

  @Override
  boolean codeAssist() {
    return false;
  }

  @Override
  Target target(GeminiEndpoint endpoint, UpstreamCall call, Credential credential) {
    if (!endpoint.modelCall()) {
      throw new IllegalArgumentException("a Gemini API key has no " + call.endpoint() + " call");
    }
    ByteString body = endpoint.codeAssist()
        ? ByteString.fromArrayUnsafe(CodeAssistEnvelope.unwrapRequest(call.body().toArrayUnsafe(), endpoint))
        : call.body();
    return new Target("/v1beta/models/" + call.view().model() + ":" + endpoint.method(), false, body);
  }

  @Override
  void addCredential(List<HttpHeader> headers, Credential credential) {
    headers.add(RawHeader.create("x-goog-api-key", credential.apiKey()));
  }

  @Override
  public Optional<HttpResponse> localAnswer(UpstreamCall call, Credential credential) {
    GeminiEndpoint endpoint = endpoint(call);
    if (endpoint.modelCall()) {
      return Optional.empty();
    }
    return CodeAssistLocalAnswers.answer(endpoint, call.body().toArrayUnsafe())
        .map(json -> HttpResponse.create().withStatus(200)
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json)));
  }
}
