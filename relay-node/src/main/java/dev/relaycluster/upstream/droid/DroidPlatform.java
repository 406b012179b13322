package dev.relaycluster.upstream.droid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.droid.DroidAnswers;
import dev.relaycluster.protocol.droid.DroidProviders;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ChatIncludeUsage;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.ratelimit.ModelFamily;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.UpstreamCall;
import dev.relaycluster.upstream.UpstreamHeaders;
import dev.relaycluster.upstream.UpstreamUris;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * Factory's LLM proxy for Droid accounts ({@code droid-api}: a Factory key {@code fk-…}; {@code droid-oauth}: a
 * WorkOS access token from the device login, refreshed by the account entity), base
 * {@code https://api.factory.ai/api/llm}. It speaks three dialects as they are: Anthropic Messages at
 * {@code /a/v1/messages}, OpenAI Responses at {@code /o/v1/responses} and Chat Completions at
 * {@code /o/v1/chat/completions}; a Gemini client is converted to Anthropic Messages, and a token count is
 * estimated by the relay. The client's headers and body go up unchanged (we relay what clients send: no
 * system prompt is added and no model renamed); the account's bearer token replaces the relay key, and the
 * headers the proxy routes by are set: {@code x-factory-client: cli}, {@code x-api-provider} (by path and
 * model, {@link DroidProviders}), {@code x-session-id} (the client's own, else the relay's session key), and
 * {@code anthropic-version} on Messages when the client sent none. A streamed Chat request that did not ask
 * for usage is asked for it, and that chunk is dropped again. Health from the status and retry-after
 * ({@link DroidAnswers}); error bodies not in a dialect's shape are said again in the client's.
 */
public final class DroidPlatform implements Platform {
  public static final String API = "droid-api";
  public static final String OAUTH = "droid-oauth";
  static final String DEFAULT_VERSION = "2023-06-01";
  /** Set here, never taken from the client. */
  private static final Set<String> OWN_HEADERS = Set.of("x-factory-client", "x-api-provider");

  private final String accountType;
  private final boolean oauth;

  public DroidPlatform(String accountType, boolean oauth) {
    this.accountType = accountType;
    this.oauth = oauth;
  }

  @Override
  public String accountType() {
    return accountType;
  }

  @Override
  public String pool() {
    return "droid";
  }

  /** Anthropic Messages: what a Gemini client's request is converted to (Factory serves Claude models best). */
  @Override
  public DialectId dialect() {
    return DialectId.ANTHROPIC;
  }

  @Override
  public boolean speaks(DialectId clientDialect) {
    return clientDialect == DialectId.ANTHROPIC || clientDialect == DialectId.OPENAI_RESPONSES
        || clientDialect == DialectId.OPENAI_CHAT;
  }

  @Override
  public boolean oauth() {
    return oauth;
  }

  @Override
  public boolean serves(String endpoint) {
    return AnthropicDialect.MESSAGES.equals(endpoint) || ResponsesDialect.RESPONSES.equals(endpoint)
        || ChatDialect.COMPLETIONS.equals(endpoint);
  }

  @Override
  public HttpRequest request(UpstreamCall call, Credential credential) {
    String endpoint = call.endpoint();
    boolean[] has = new boolean[2]; // anthropic-version, x-session-id
    List<HttpHeader> headers = UpstreamHeaders.forwarded(call.headers(), name -> {
      if (name.equals("anthropic-version")) {
        has[0] = true;
      } else if (name.equals("x-session-id")) {
        has[1] = true;
      }
      return !OWN_HEADERS.contains(name);
    });
    String model = call.view() == null ? null : call.view().model();
    String provider;
    String path;
    if (AnthropicDialect.MESSAGES.equals(endpoint)) {
      provider = DroidProviders.messages();
      path = "/a/v1/messages";
      if (!has[0]) {
        headers.add(RawHeader.create("anthropic-version", DEFAULT_VERSION));
      }
    } else if (ResponsesDialect.RESPONSES.equals(endpoint)) {
      provider = DroidProviders.responses(model);
      path = "/o/v1/responses";
    } else {
      provider = DroidProviders.chat(model);
      path = "/o/v1/chat/completions";
    }
    if (!has[1] && call.view() != null) {
      call.view().sessionKey().ifPresent(k -> headers.add(RawHeader.create("x-session-id", k.value())));
    }
    headers.add(RawHeader.create("accept-encoding", "identity"));
    headers.add(RawHeader.create("authorization", "Bearer " + (oauth ? credential.accessToken() : credential.apiKey())));
    headers.add(RawHeader.create("x-factory-client", "cli"));
    headers.add(RawHeader.create("x-api-provider", provider));
    return HttpRequest.create()
        .withUri(UpstreamUris.of(credential.baseUrl(), path, call.rawQuery()))
        .withMethod(HttpMethods.POST)
        .withHeaders(headers)
        .withEntity(HttpEntities.create(call.contentType(), body(call)));
  }

  ByteString body(UpstreamCall call) {
    if (askUsage(call)) {
      return ByteString.fromArrayUnsafe(ChatIncludeUsage.ask(call.body().toArrayUnsafe()));
    }
    return call.body();
  }

  /** The usage chunk the relay asked for is not the client's: it is dropped after the usage tap read it. */
  @Override
  public AnswerFraming framing(UpstreamCall call) {
    return askUsage(call) ? ChatIncludeUsage.framing() : AnswerFraming.IDENTITY;
  }

  private static boolean askUsage(UpstreamCall call) {
    return ChatDialect.COMPLETIONS.equals(call.endpoint()) && call.view() != null && call.view().stream()
        && ChatIncludeUsage.mustAsk(call.body().toArrayUnsafe());
  }

  @Override
  public boolean healthHeader(String name) {
    return DroidAnswers.isHealthHeader(name);
  }

  @Override
  public AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    return DroidAnswers.classify(status, headers, body, nowMillis);
  }

  @Override
  public AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    return DroidAnswers.classifyStreamError(errorType, errorJson, nowMillis);
  }

  /**
   * Anthropic's and OpenAI's error bodies ({@code {"error":{"message":…}}}) pass as they came; anything else
   * the proxy says itself ({@code {"detail":…}}, plain text) is said again in the client's dialect.
   */
  @Override
  public String foreignErrorMessage(int status, byte[] body) {
    JsonNode root = body == null ? null : Json.tryParse(body).orElse(null);
    if (root != null && root.path("error").path("message").isTextual()) {
      return null;
    }
    String message = DroidAnswers.errorMessage(body);
    return message.isEmpty() ? "the Factory upstream answered " + status : message;
  }

  @Override
  public String probeModel() {
    return "claude-haiku-4-5";
  }

  @Override
  public UpstreamCall probe(String model) {
    String body = "{\"model\":" + TextNode.valueOf(model) + ",\"max_tokens\":1,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
    return new UpstreamCall(AnthropicDialect.MESSAGES, "", List.of(RawHeader.create("anthropic-version", DEFAULT_VERSION)),
        ContentTypes.APPLICATION_JSON, ByteString.fromString(body), new RequestView(model, false, 1, true, null));
  }

  @Override
  public String modelFamily(String model) {
    return ModelFamily.of(model).wireName();
  }
}
