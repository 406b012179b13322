package dev.relaycluster.protocol.gemini;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.util.Json;
import org.junit.jupiter.api.Test;

class CodeAssistEnvelopeTest {
  static final GeminiEndpoint PUBLIC_STREAM = GeminiEndpoint.parse("models/gemini-2.5-pro:streamGenerateContent")
      .orElseThrow();
  static final GeminiEndpoint PUBLIC_COUNT = GeminiEndpoint.parse("models/gemini-2.5-pro:countTokens").orElseThrow();
  static final GeminiEndpoint CA_STREAM = GeminiEndpoint.parse("v1internal:streamGenerateContent").orElseThrow();
  static final GeminiEndpoint CA_COUNT = GeminiEndpoint.parse("v1internal:countTokens").orElseThrow();

  static JsonNode json(byte[] b) throws Exception {
    return Json.parse(b);
  }

  @Test
  void wrapPutsThePublicBodyUnderRequest() throws Exception {
    byte[] wrapped = CodeAssistEnvelope.wrapRequest(utf8(GeminiDialectTest.PUBLIC_BODY), PUBLIC_STREAM,
        "proud-lamp-4k2m1", "prompt-7");
    JsonNode w = json(wrapped);
    assertEquals("gemini-2.5-pro", w.path("model").textValue());
    assertEquals("proud-lamp-4k2m1", w.path("project").textValue());
    assertEquals("prompt-7", w.path("user_prompt_id").textValue());
    assertEquals(json(utf8(GeminiDialectTest.PUBLIC_BODY)), w.path("request"));
    JsonNode noProject = json(CodeAssistEnvelope.wrapRequest(utf8("{\"contents\":[]}"), PUBLIC_STREAM, null, null));
    assertFalse(noProject.has("project"));
    assertFalse(noProject.path("user_prompt_id").textValue().isBlank(), "a prompt id is made up");
  }

  @Test
  void roundTripKeepsUnknownFieldsAndDropsSessionId() throws Exception {
    String request = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"labels\":{\"team\":\"x\"},"
        + "\"futureField\":{\"a\":[1,2]},\"session_id\":\"s-1\"}";
    String body = "{\"model\":\"gemini-2.5-pro\",\"project\":\"p\",\"user_prompt_id\":\"s-1########1\","
        + "\"request\":" + request + "}";
    JsonNode unwrapped = json(CodeAssistEnvelope.unwrapRequest(utf8(body), CA_STREAM));
    assertFalse(unwrapped.has("session_id"));
    assertEquals("x", unwrapped.path("labels").path("team").textValue());
    assertEquals(2, unwrapped.path("futureField").path("a").size());
    JsonNode rewrapped = json(CodeAssistEnvelope.wrapRequest(Json.write(unwrapped), PUBLIC_STREAM, "p", "s-1########1"));
    JsonNode original = json(utf8(body));
    ((com.fasterxml.jackson.databind.node.ObjectNode) original.path("request")).remove("session_id");
    assertEquals(original, rewrapped);
  }

  @Test
  void countTokensShapes() throws Exception {
    JsonNode wrapped = json(CodeAssistEnvelope.wrapRequest(
        utf8("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"), PUBLIC_COUNT, "p", null));
    assertEquals(1, wrapped.size(), "only request: " + wrapped);
    assertEquals("models/gemini-2.5-pro", wrapped.path("request").path("model").textValue());
    assertEquals("hi", wrapped.path("request").path("contents").path(0).path("parts").path(0).path("text").textValue());
    JsonNode fromGenerate = json(CodeAssistEnvelope.wrapRequest(utf8("{\"generateContentRequest\":{\"model\":"
        + "\"models/gemini-2.5-pro\",\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}}"), PUBLIC_COUNT, null, null));
    assertEquals("x", fromGenerate.path("request").path("contents").path(0).path("parts").path(0).path("text").textValue());
    assertFalse(fromGenerate.path("request").has("generateContentRequest"));

    JsonNode unwrapped = json(CodeAssistEnvelope.unwrapRequest(Json.write(wrapped), CA_COUNT));
    assertFalse(unwrapped.has("model"));
    assertEquals(wrapped.path("request").path("contents"), unwrapped.path("contents"));
    JsonNode keepsGenerate = json(CodeAssistEnvelope.unwrapRequest(utf8("{\"request\":{\"model\":\"models/m\","
        + "\"generateContentRequest\":{\"contents\":[]},\"other\":1}}"), CA_COUNT));
    assertEquals(json(utf8("{\"generateContentRequest\":{\"contents\":[]}}")), keepsGenerate);
  }

  @Test
  void unwrapRequestNeedsARequestObject() {
    assertThrows(InvalidRequestException.class,
        () -> CodeAssistEnvelope.unwrapRequest(utf8("{\"model\":\"m\"}"), CA_STREAM));
    assertThrows(InvalidRequestException.class, () -> CodeAssistEnvelope.unwrapRequest(utf8("{"), CA_STREAM));
    assertThrows(InvalidRequestException.class,
        () -> CodeAssistEnvelope.wrapRequest(utf8("[]"), PUBLIC_STREAM, null, null));
  }

  @Test
  void withProjectPerMethod() throws Exception {
    JsonNode model = json(CodeAssistEnvelope.withProject(utf8(GeminiDialectTest.codeAssistBody("s")), CA_STREAM, "acct-p"));
    assertEquals("acct-p", model.path("project").textValue());
    JsonNode load = json(CodeAssistEnvelope.withProject(utf8("{\"cloudaicompanionProject\":\"mine\",\"metadata\":"
        + "{\"pluginType\":\"GEMINI\",\"duetProject\":\"mine\"}}"), endpoint("v1internal:loadCodeAssist"), "acct-p"));
    assertEquals("acct-p", load.path("cloudaicompanionProject").textValue());
    assertEquals("acct-p", load.path("metadata").path("duetProject").textValue());
    assertFalse(load.has("project"));
    JsonNode onboard = json(CodeAssistEnvelope.withProject(utf8("{\"tierId\":\"standard-tier\",\"metadata\":{}}"),
        endpoint("v1internal:onboardUser"), "acct-p"));
    assertEquals("acct-p", onboard.path("cloudaicompanionProject").textValue());
    assertFalse(onboard.path("metadata").has("duetProject"));
    byte[] freeTier = utf8("{\"tierId\":\"free-tier\",\"metadata\":{}}");
    assertArrayEquals(freeTier, CodeAssistEnvelope.withProject(freeTier, endpoint("v1internal:onboardUser"), "acct-p"));
    for (String method : new String[] {"retrieveUserQuota", "listExperiments", "fetchAdminControls",
        "recordCodeAssistMetrics"}) {
      JsonNode side = json(CodeAssistEnvelope.withProject(utf8("{\"project\":\"client-p\"}"),
          endpoint("v1internal:" + method), "acct-p"));
      assertEquals("acct-p", side.path("project").textValue(), method);
    }
    byte[] body = utf8("{\"project\":\"client-p\"}");
    assertArrayEquals(body, CodeAssistEnvelope.withProject(body, CA_STREAM, null));
    assertArrayEquals(body, CodeAssistEnvelope.withProject(body, CA_STREAM, " "));
    assertArrayEquals(body, CodeAssistEnvelope.withProject(body, endpoint("v1internal/operations/x"), "acct-p"));
    byte[] count = utf8("{\"request\":{\"model\":\"models/m\",\"contents\":[]}}");
    assertArrayEquals(count, CodeAssistEnvelope.withProject(count, CA_COUNT, "acct-p"));
    byte[] notJson = utf8("nope");
    assertArrayEquals(notJson, CodeAssistEnvelope.withProject(notJson, CA_STREAM, "acct-p"));
  }

  @Test
  void answersRoundTrip() throws Exception {
    String inner = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},"
        + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3},\"modelVersion\":\"gemini-2.5-pro\","
        + "\"createTime\":\"2026-11-21T10:15:02Z\"}";
    String ca = "{\"response\":" + inner + ",\"traceId\":\"c0ffee\",\"remainingCredits\":[]}";
    JsonNode unwrapped = json(CodeAssistEnvelope.unwrapAnswer(utf8(ca)));
    assertEquals("c0ffee", unwrapped.path("responseId").textValue());
    assertEquals("2026-11-21T10:15:02Z", unwrapped.path("createTime").textValue(), "unknown fields kept");
    assertEquals("Hi", unwrapped.path("candidates").path(0).path("content").path("parts").path(0).path("text").textValue());
    JsonNode keepsOwnId = json(CodeAssistEnvelope.unwrapAnswer(utf8("{\"response\":{\"responseId\":\"own\"},"
        + "\"traceId\":\"t\"}")));
    assertEquals("own", keepsOwnId.path("responseId").textValue());

    JsonNode wrapped = json(CodeAssistEnvelope.wrapAnswer(Json.write(unwrapped)));
    assertEquals(unwrapped, wrapped.path("response"));
    assertEquals("c0ffee", wrapped.path("traceId").textValue());
    assertEquals(unwrapped, json(CodeAssistEnvelope.unwrapAnswer(Json.write(wrapped))));
  }

  @Test
  void errorsAndCountAnswersAreTheSameInBothEnvelopes() {
    byte[] error = utf8("{\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
    assertArrayEquals(error, CodeAssistEnvelope.wrapAnswer(error));
    assertArrayEquals(error, CodeAssistEnvelope.unwrapAnswer(error));
    byte[] count = utf8("{\"totalTokens\":31,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":31}]}");
    assertArrayEquals(count, CodeAssistEnvelope.wrapAnswer(count));
    assertArrayEquals(count, CodeAssistEnvelope.unwrapAnswer(count));
    byte[] garbage = utf8("<html>");
    assertArrayEquals(garbage, CodeAssistEnvelope.unwrapAnswer(garbage));
    assertArrayEquals(garbage, CodeAssistEnvelope.wrapAnswer(garbage));
    assertTrue(CodeAssistEnvelope.wrapAnswer(utf8("{\"candidates\":[]}")).length > 0);
  }

  private static GeminiEndpoint endpoint(String name) {
    return GeminiEndpoint.parse(name).orElseThrow();
  }
}
