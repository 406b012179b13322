package dev.relaycluster.upstream.gemini;

import dev.relaycluster.protocol.gemini.CodeAssistEnvelope;
import dev.relaycluster.protocol.gemini.GeminiEndpoint;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.UpstreamCall;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * Google-login accounts ({@code gemini-oauth}): Code Assist, {@code {baseUrl}/v1internal:{method}} under
 * {@code https://cloudcode-pa.googleapis.com}, with the account's OAuth access token and its Google Cloud
 * project (the credential's upstream account id) set on every call. Side calls go to the account as they
 * came; a public-API client's model calls are put into the envelope and the answers taken out.
 */
public final class CodeAssistPlatform extends GeminiPlatform {
  public static final String TYPE = "gemini-oauth";
  public static final String DEFAULT_BASE_URL = "https://cloudcode-pa.googleapis.com";

  @Override
  public String accountType() {
    return TYPE;
  }

  @Override
  public boolean oauth() {
    return true;
  }

  @Override
  boolean codeAssist() {
    return true;
  }

  @Override
  Target target(GeminiEndpoint endpoint, UpstreamCall call, Credential credential) {
    if (endpoint.operation() != null) {
      return new Target("/" + endpoint.name(), true, ByteString.emptyByteString());
    }
    String project = credential.upstreamAccountId();
    byte[] body = call.body().toArrayUnsafe();
    byte[] sent = endpoint.codeAssist()
        ? CodeAssistEnvelope.withProject(body, endpoint, project)
        : CodeAssistEnvelope.wrapRequest(body, endpoint, project, null);
    return new Target("/" + GeminiEndpoint.ofCodeAssist(endpoint.method()), false, ByteString.fromArrayUnsafe(sent));
  }

  @Override
  void addCredential(List<HttpHeader> headers, Credential credential) {
    headers.add(RawHeader.create("authorization", "Bearer " + credential.accessToken()));
  }
}
