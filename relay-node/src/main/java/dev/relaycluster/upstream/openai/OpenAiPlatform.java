package dev.relaycluster.upstream.openai;

import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.OpenAiAnswers;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.UpstreamCall;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * OpenAI API-key accounts ({@code openai-api}): {@code {baseUrl}/v1/responses} (and {@code /compact})
 * with {@code Authorization: Bearer sk-…}, and Chat Completions as the client sent it
 * ({@code {baseUrl}/v1/chat/completions}). A streamed Chat request that did not ask for usage is sent with
 * {@code stream_options.include_usage: true} (the ledger needs the usage chunk) and that chunk is dropped
 * from the client's stream again ({@link ChatUpstream}). Health from {@code x-ratelimit-*} and error bodies
 * ({@link OpenAiAnswers}).
 */
public final class OpenAiPlatform extends ResponsesPlatform {
  public static final String TYPE = "openai-api";

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
    return ChatDialect.COMPLETIONS.equals(endpoint) || super.serves(endpoint);
  }

  @Override
  protected String path(String endpoint) {
    if (ChatDialect.COMPLETIONS.equals(endpoint)) {
      return "/v1/chat/completions";
    }
    return COMPACT.equals(endpoint) ? "/v1/responses/compact" : "/v1/responses";
  }

  @Override
  protected ByteString body(UpstreamCall call, Credential credential) {
    return ChatUpstream.body(call);
  }

  /** The usage chunk the relay asked for is not the client's: it is dropped after the usage tap read it. */
  @Override
  public AnswerFraming framing(UpstreamCall call) {
    return ChatUpstream.framing(call);
  }

  @Override
  protected String token(Credential credential) {
    return credential.apiKey();
  }

  @Override
  public boolean healthHeader(String name) {
    return OpenAiAnswers.isHealthHeader(name);
  }

  @Override
  public AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    return OpenAiAnswers.classify(status, headers, body, nowMillis);
  }

  /** A Chat stream's error is a bare {@code {"error":{…}}}: judged as the {@code error} event it stands for. */
  @Override
  public AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    return OpenAiAnswers.classifyStreamError(ChatUpstream.asErrorEvent(errorJson), nowMillis);
  }
}
