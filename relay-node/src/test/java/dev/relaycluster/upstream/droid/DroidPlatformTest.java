package dev.relaycluster.upstream.droid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.session.SessionKey;
import dev.relaycluster.protocol.session.SessionKeySource;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.Platforms;
import dev.relaycluster.upstream.UpstreamCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class DroidPlatformTest {
  private static final DroidPlatform API = new DroidPlatform(DroidPlatform.API, false);
  private static final DroidPlatform OAUTH = new DroidPlatform(DroidPlatform.OAUTH, true);
  private static final Credential KEY = new Credential("a1", "droid-api", "https://api.factory.ai/api/llm",
      "fk-secret", null, null, null);
  private static final Credential TOKEN = new Credential("a2", "droid-oauth", "http://mock:1/api/llm", null,
      "eyJ.token", null, null);
  private static final Optional<SessionKey> SESSION = Optional.of(new SessionKey("s-123", SessionKeySource.PREFIX_HASH));

  private static UpstreamCall call(String endpoint, String model, boolean stream, String body, HttpHeader... headers) {
    return new UpstreamCall(endpoint, "", List.of(headers), ContentTypes.APPLICATION_JSON, ByteString.fromString(body),
        new RequestView(model, stream, -1, true, SESSION));
  }

  private static List<String> values(HttpRequest r, String name) {
    List<String> out = new ArrayList<>();
    for (HttpHeader h : r.getHeaders()) {
      if (h.lowercaseName().equals(name)) {
        out.add(h.value());
      }
    }
    return out;
  }

  @Test
  void registeredForBothAccountTypesInTheDroidPool() {
    assertEquals("droid", Platforms.standard().of("droid-api").pool());
    assertEquals("droid", Platforms.standard().of("droid-oauth").pool());
    assertTrue(Platforms.standard().of("droid-oauth").oauth());
    assertFalse(Platforms.standard().of("droid-api").oauth());
  }

  @Test
  void speaksThreeDialectsAsTheyAreAndConvertsGeminiToAnthropic() {
    assertTrue(API.speaks(DialectId.ANTHROPIC));
    assertTrue(API.speaks(DialectId.OPENAI_RESPONSES));
    assertTrue(API.speaks(DialectId.OPENAI_CHAT));
    assertFalse(API.speaks(DialectId.GEMINI));
    assertEquals(DialectId.ANTHROPIC, API.dialect());
    assertTrue(API.serves("messages"));
    assertTrue(API.serves("responses"));
    assertTrue(API.serves("chat/completions"));
    // Token counts are estimated by the relay; compaction is Codex's own.
    assertFalse(API.serves("count_tokens"));
    assertFalse(API.serves("compact"));
  }

  @Test
  void messagesGoToTheAnthropicPathWithTheClientsHeaders() {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}";
    HttpRequest r = API.request(call("messages", "claude-sonnet-4-5", false, body,
        RawHeader.create("anthropic-beta", "interleaved-thinking-2025-05-14"),
        RawHeader.create("user-agent", "my-client/1.0"),
        RawHeader.create("x-api-key", "cr_relaykey"),
        RawHeader.create("x-api-provider", "spoofed"),
        RawHeader.create("x-factory-client", "spoofed")), KEY);
    assertEquals("https://api.factory.ai/api/llm/a/v1/messages", r.getUri().toString());
    assertEquals(List.of("Bearer fk-secret"), values(r, "authorization"));
    assertEquals(List.of("cli"), values(r, "x-factory-client"));
    assertEquals(List.of("anthropic"), values(r, "x-api-provider"));
    assertEquals(List.of("2023-06-01"), values(r, "anthropic-version"));
    assertEquals(List.of("interleaved-thinking-2025-05-14"), values(r, "anthropic-beta"));
    assertEquals(List.of("my-client/1.0"), values(r, "user-agent"));
    assertEquals(List.of("s-123"), values(r, "x-session-id"));
    assertEquals(List.of(), values(r, "x-api-key"));
    assertEquals(body, API.body(call("messages", "claude-sonnet-4-5", false, body)).utf8String());
  }

  @Test
  void theClientsOwnVersionAndSessionAreKept() {
    HttpRequest r = OAUTH.request(call("messages", "claude-opus-4-5", true, "{}",
        RawHeader.create("anthropic-version", "2024-01-01"), RawHeader.create("x-session-id", "client-session")), TOKEN);
    assertEquals(List.of("2024-01-01"), values(r, "anthropic-version"));
    assertEquals(List.of("client-session"), values(r, "x-session-id"));
    assertEquals(List.of("Bearer eyJ.token"), values(r, "authorization"));
    assertEquals("http://mock:1/api/llm/a/v1/messages", r.getUri().toString());
  }

  @Test
  void responsesGoToAzureOrOpenAiForTheMaxModels() {
    HttpRequest r = API.request(call("responses", "gpt-5-codex", true, "{}"), KEY);
    assertEquals("https://api.factory.ai/api/llm/o/v1/responses", r.getUri().toString());
    assertEquals(List.of("azure_openai"), values(r, "x-api-provider"));
    assertEquals(List.of(), values(r, "anthropic-version"));
    assertEquals(List.of("openai"),
        values(API.request(call("responses", "gpt-5.1-codex-max", true, "{}"), KEY), "x-api-provider"));
  }

  @Test
  void chatGoesToItsPathByTheModelsProviderAndAsksAStreamForUsage() {
    String plain = "{\"model\":\"glm-4.6\",\"stream\":true,\"messages\":[]}";
    UpstreamCall stream = call("chat/completions", "glm-4.6", true, plain);
    HttpRequest r = API.request(stream, KEY);
    assertEquals("https://api.factory.ai/api/llm/o/v1/chat/completions", r.getUri().toString());
    assertEquals(List.of("fireworks"), values(r, "x-api-provider"));
    assertEquals("{\"stream_options\":{\"include_usage\":true}," + plain.substring(1), API.body(stream).utf8String());
    assertFalse(API.framing(stream).identity());
    String whole = "{\"model\":\"gemini-2.5-pro\",\"messages\":[]}";
    UpstreamCall wholeCall = call("chat/completions", "gemini-2.5-pro", false, whole);
    assertEquals(whole, API.body(wholeCall).utf8String());
    assertSame(AnswerFraming.IDENTITY, API.framing(wholeCall));
    assertEquals(List.of("google"), values(API.request(wholeCall, KEY), "x-api-provider"));
  }

  @Test
  void errorBodiesInADialectsShapePassOthersAreSaidAgain() {
    assertNull(API.foreignErrorMessage(400,
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}"
            .getBytes(StandardCharsets.UTF_8)));
    assertEquals("Insufficient credits",
        API.foreignErrorMessage(402, "{\"detail\":\"Insufficient credits\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("the Factory upstream answered 502", API.foreignErrorMessage(502, new byte[0]));
  }

  @Test
  void probeIsAOneTokenMessage() {
    UpstreamCall probe = API.probe(API.probeModel());
    assertEquals("messages", probe.endpoint());
    assertTrue(probe.body().utf8String().contains("\"max_tokens\":1"));
    assertEquals("sonnet", API.modelFamily("claude-sonnet-4-5"));
  }
}
