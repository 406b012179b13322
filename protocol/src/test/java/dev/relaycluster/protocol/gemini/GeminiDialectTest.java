package dev.relaycluster.protocol.gemini;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.session.SessionKey;
import dev.relaycluster.protocol.session.SessionKeySource;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GeminiDialectTest {
  static final Function<String, String> NO_HEADERS = name -> null;
  static final GeminiDialect D = GeminiDialect.INSTANCE;

  /** What Gemini CLI sends in API-key mode (cut down): system instruction, first content, thinking. */
  static final String PUBLIC_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"<session_context>"
      + "This is the Gemini CLI.</session_context>\"},{\"text\":\"say hi\"}]}],\"systemInstruction\":{\"role\":"
      + "\"user\",\"parts\":[{\"text\":\"You are Gemini CLI, an autonomous CLI agent.\"}]},\"tools\":[{"
      + "\"functionDeclarations\":[{\"name\":\"read_file\"}]}],\"generationConfig\":{\"temperature\":1,\"topP\":0.95,"
      + "\"topK\":64,\"maxOutputTokens\":8192,\"thinkingConfig\":{\"includeThoughts\":true,\"thinkingLevel\":\"HIGH\"}}}";

  static String codeAssistBody(String sessionId) {
    String request = PUBLIC_BODY.substring(0, PUBLIC_BODY.length() - 1) + ",\"session_id\":\"" + sessionId + "\"}";
    return "{\"model\":\"gemini-2.5-pro\",\"project\":\"proud-lamp-4k2m1\",\"user_prompt_id\":\"" + sessionId
        + "########0\",\"request\":" + request + "}";
  }

  @Test
  void publicStreamCall() {
    RequestView v = D.read("models/gemini-3.1-pro-preview:streamGenerateContent", utf8(PUBLIC_BODY), NO_HEADERS, "k1");
    assertEquals("gemini-3.1-pro-preview", v.model());
    assertTrue(v.stream());
    assertTrue(v.generates());
    assertEquals(8192, v.maxTokens());
    assertEquals(SessionKeySource.PREFIX_HASH, v.sessionKey().orElseThrow().source());
  }

  @Test
  void publicWholeCallAndCountTokens() {
    RequestView whole = D.read("models/gemini-2.5-flash-lite:generateContent",
        utf8("{\"contents\":[{\"parts\":[{\"text\":\"route me\"}]}]}"), NO_HEADERS, "k1");
    assertEquals("gemini-2.5-flash-lite", whole.model());
    assertFalse(whole.stream());
    assertTrue(whole.generates());
    assertEquals(-1, whole.maxTokens());
    RequestView count = D.read("models/gemini-2.5-pro:countTokens",
        utf8("{\"contents\":[{\"parts\":[{\"text\":\"count me\"}]}]}"), NO_HEADERS, "k1");
    assertEquals("gemini-2.5-pro", count.model());
    assertFalse(count.generates());
    assertFalse(count.stream());
  }

  @Test
  void prefixHashIsPerKeyAndSharedByRouterAndMainCall() {
    SessionKey main = D.read("models/gemini-2.5-pro:streamGenerateContent", utf8(PUBLIC_BODY), NO_HEADERS, "k1")
        .sessionKey().orElseThrow();
    SessionKey again = D.read("models/gemini-2.5-flash:generateContent", utf8(PUBLIC_BODY), NO_HEADERS, "k1")
        .sessionKey().orElseThrow();
    SessionKey otherKey = D.read("models/gemini-2.5-pro:streamGenerateContent", utf8(PUBLIC_BODY), NO_HEADERS, "k2")
        .sessionKey().orElseThrow();
    assertEquals(main, again);
    assertNotEquals(main.value(), otherKey.value());
  }

  @Test
  void codeAssistCallTakesModelMaxTokensAndSessionFromTheEnvelope() {
    RequestView v = D.read("v1internal:streamGenerateContent", utf8(codeAssistBody("5f0c9e4a-1b7d")), NO_HEADERS, "k1");
    assertEquals("gemini-2.5-pro", v.model());
    assertTrue(v.stream());
    assertTrue(v.generates());
    assertEquals(8192, v.maxTokens());
    assertEquals(new SessionKey("5f0c9e4a-1b7d", SessionKeySource.GEMINI_CODE_ASSIST), v.sessionKey().orElseThrow());
    RequestView next = D.read("v1internal:generateContent", utf8(codeAssistBody("5f0c9e4a-1b7d")), NO_HEADERS, "k2");
    assertEquals(v.sessionKey(), next.sessionKey(), "the session id is the client's, stable across calls");
    assertFalse(next.stream());
  }

  @Test
  void codeAssistCountTokensReadsTheInnerModel() {
    RequestView v = D.read("v1internal:countTokens",
        utf8("{\"request\":{\"model\":\"models/gemini-2.5-flash\",\"contents\":[{\"role\":\"user\",\"parts\":"
            + "[{\"text\":\"hi\"}]}]}}"), NO_HEADERS, "k1");
    assertEquals("gemini-2.5-flash", v.model());
    assertFalse(v.generates());
    assertFalse(v.stream());
    assertEquals(-1, v.maxTokens());
  }

  @Test
  void sideCallsShareOneSessionPerKey() {
    RequestView load = D.read("v1internal:loadCodeAssist", utf8("{\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\","
        + "\"platform\":\"PLATFORM_UNSPECIFIED\",\"pluginType\":\"GEMINI\"}}"), NO_HEADERS, "k1");
    RequestView quota = D.read("v1internal:retrieveUserQuota", utf8("{\"project\":\"relay\"}"), NO_HEADERS, "k1");
    RequestView setting = D.read("v1internal:getCodeAssistGlobalUserSetting", new byte[0], NO_HEADERS, "k1");
    RequestView operation = D.read("v1internal/operations/onboard-123", null, NO_HEADERS, "k1");
    RequestView otherKey = D.read("v1internal:loadCodeAssist", utf8("{}"), NO_HEADERS, "k2");
    for (RequestView v : new RequestView[] {load, quota, setting, operation}) {
      assertNull(v.model());
      assertFalse(v.stream());
      assertFalse(v.generates());
      assertEquals(-1, v.maxTokens());
      assertEquals(load.sessionKey(), v.sessionKey());
    }
    assertNotEquals(load.sessionKey(), otherKey.sessionKey());
  }

  @Test
  void badRequests() {
    InvalidRequestException bad = assertThrows(InvalidRequestException.class,
        () -> D.read("models/gemini-2.5-pro:generateContent", utf8("{\"contents\":["), NO_HEADERS, "k"));
    assertTrue(bad.getMessage().contains("is not valid JSON"), bad.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> D.read("models/gemini-2.5-pro:generateContent", new byte[0], NO_HEADERS, "k"));
    assertThrows(InvalidRequestException.class,
        () -> D.read("models/gemini-2.5-pro:generateContent", utf8("[1,2]"), NO_HEADERS, "k"));
    InvalidRequestException unknown = assertThrows(InvalidRequestException.class,
        () -> D.read("models/gemini-2.5-pro:embedContent", utf8("{}"), NO_HEADERS, "k"));
    assertTrue(unknown.getMessage().contains("embedContent"), unknown.getMessage());
    assertThrows(InvalidRequestException.class, () -> D.read("v1internal:deleteEverything", utf8("{}"), NO_HEADERS, "k"));
    InvalidRequestException noModel = assertThrows(InvalidRequestException.class,
        () -> D.read("v1internal:generateContent", utf8("{\"request\":{\"contents\":[]}}"), NO_HEADERS, "k"));
    assertTrue(noModel.getMessage().contains("model"), noModel.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> D.read("v1internal:countTokens", utf8("{\"request\":{\"contents\":[]}}"), NO_HEADERS, "k"));
    assertThrows(InvalidRequestException.class,
        () -> D.read("v1internal:generateContent", utf8("{\"model\":\"gemini-2.5-pro\"}"), NO_HEADERS, "k"));
    assertThrows(InvalidRequestException.class,
        () -> D.read("v1internal:loadCodeAssist", utf8("not json"), NO_HEADERS, "k"));
  }

  @Test
  void aCodeAssistModelThatIsNoPlainNameIsRefused() {
    for (String model : new String[] {"gemini 2.5", "a/../b", "x\\u0000", "g".repeat(129), "models/a:b"}) {
      String body = codeAssistBody("s-1").replace("\"gemini-2.5-pro\"", "\"" + model + "\"");
      InvalidRequestException bad = assertThrows(InvalidRequestException.class,
          () -> D.read("v1internal:generateContent", utf8(body), NO_HEADERS, "k"), model);
      assertTrue(bad.getMessage().contains("model name"), bad.getMessage());
    }
    String countBody = "{\"request\":{\"model\":\"models/gemini-2.5-flash\",\"contents\":[]}}";
    assertEquals("gemini-2.5-flash", D.read("v1internal:countTokens", utf8(countBody), NO_HEADERS, "k").model());
  }

  @Test
  void recordedEndpointDropsTheModel() {
    assertEquals("streamGenerateContent", D.recordedEndpoint("models/gemini-2.5-pro:streamGenerateContent"));
    assertEquals("v1internal:loadCodeAssist", D.recordedEndpoint("v1internal:loadCodeAssist"));
  }

  @Test
  void streamErrorEventIsOneSseEventWithGoogleErrorJson() throws Exception {
    String event = new String(D.streamErrorEvent(ErrorKind.BAD_GATEWAY, "upstream broke off"), StandardCharsets.UTF_8);
    assertTrue(event.startsWith("data: "), event);
    assertTrue(event.endsWith("\r\n\r\n"), event);
    JsonNode json = Json.parse(utf8(event.substring(6).strip()));
    assertEquals(502, json.path("error").path("code").intValue());
    assertEquals("upstream broke off", json.path("error").path("message").textValue());
    assertEquals("INTERNAL", json.path("error").path("status").textValue());
    GeminiUsageTap tap = new GeminiUsageTap();
    tap.feed(java.nio.ByteBuffer.wrap(utf8(event)));
    assertEquals("INTERNAL", tap.errorType());
    assertTrue(tap.atEventBoundary());
  }
}
