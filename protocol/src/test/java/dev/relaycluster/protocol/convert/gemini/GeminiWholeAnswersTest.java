package dev.relaycluster.protocol.convert.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.WholeAnswer;
import dev.relaycluster.protocol.dialect.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiWholeAnswersTest {
  static final String ANSWER = """
      {"candidates":[{"content":{"parts":[
        {"text":"Let me ","thought":true},{"text":"think.","thought":true,"thoughtSignature":"c2ln"},
        {"text":"Checking "},{"text":"both."},
        {"functionCall":{"name":"Read","args":{"file_path":"/a"}},"thoughtSignature":"Zm4x"},
        {"functionCall":{"id":"own-id","name":"Bash"}}],"role":"model"},
        "finishReason":"STOP","index":0}],
       "usageMetadata":{"promptTokenCount":120,"candidatesTokenCount":30,"totalTokenCount":190,
         "cachedContentTokenCount":100,"thoughtsTokenCount":40},
       "modelVersion":"gemini-3-pro-preview","responseId":"abc"}""";

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsAWholeAnswer() {
    WholeAnswer a = GeminiCodec.INSTANCE.readAnswer(bytes(ANSWER));
    assertEquals(new WholeAnswer("abc", "gemini-3-pro-preview", List.of(
        new Part.Reasoning("Let me think.", "c2ln", false, "gemini"), new Part.Text("Checking both."),
        new Part.ToolCall("call_abc_0", "Read", "{\"file_path\":\"/a\"}", "Zm4x"),
        new Part.ToolCall("own-id", "Bash", "{}", null)),
        StopReason.TOOL_USE, null, new AnswerUsage(20, 100, 0, 70, 40)), a);
  }

  @Test
  void writesAWholeAnswerAndReadsItBack() {
    WholeAnswer a = GeminiCodec.INSTANCE.readAnswer(bytes(ANSWER));
    byte[] written = GeminiCodec.INSTANCE.writeAnswer(a, new AnswerOptions("gemini-3-pro", false, 0));
    assertEquals("{\"candidates\":[{\"content\":{\"parts\":["
        + "{\"text\":\"Let me think.\",\"thought\":true,\"thoughtSignature\":\"c2ln\"},{\"text\":\"Checking both.\"},"
        + "{\"functionCall\":{\"id\":\"call_abc_0\",\"name\":\"Read\",\"args\":{\"file_path\":\"/a\"}},"
        + "\"thoughtSignature\":\"Zm4x\"},{\"functionCall\":{\"id\":\"own-id\",\"name\":\"Bash\",\"args\":{}}}],"
        + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":120,\"candidatesTokenCount\":30,\"totalTokenCount\":190,"
        + "\"cachedContentTokenCount\":100,\"thoughtsTokenCount\":40},"
        + "\"modelVersion\":\"gemini-3-pro\",\"responseId\":\"abc\"}", new String(written, StandardCharsets.UTF_8));
    WholeAnswer back = GeminiCodec.INSTANCE.readAnswer(written);
    assertEquals(new WholeAnswer(a.id(), "gemini-3-pro", a.content(), a.stopReason(), null, a.usage()), back);
  }

  @Test
  void foreignAnswerCarriesItsReasoningOnTheCall() {
    WholeAnswer foreign = new WholeAnswer("msg_1", "claude", List.of(
        new Part.Reasoning("hmm", "EqQB", false, "anthropic"), new Part.Text("ok"),
        new Part.ToolCall("toolu_9", "Read", "{\"a\":1}", null)), StopReason.MAX_TOKENS, null,
        new AnswerUsage(1, 2, 3, 4, 0));
    byte[] written = GeminiCodec.INSTANCE.writeAnswer(foreign, new AnswerOptions("gemini-2.5-pro", false, 0));
    String carried = CarriedSignature.wrap(new Part.Reasoning("hmm", "EqQB", false, "anthropic"));
    assertEquals("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hmm\",\"thought\":true},"
        + "{\"text\":\"ok\"},{\"functionCall\":{\"id\":\"toolu_9\",\"name\":\"Read\",\"args\":{\"a\":1}},"
        + "\"thoughtSignature\":\"" + carried + "\"}],\"role\":\"model\"},"
        + "\"finishReason\":\"MAX_TOKENS\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":6,"
        + "\"candidatesTokenCount\":4,\"totalTokenCount\":10,\"cachedContentTokenCount\":2},"
        + "\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"msg_1\"}", new String(written, StandardCharsets.UTF_8));
    // an upstream answer is Gemini's own: the carried signature stays on the call (the request reader unwraps it)
    assertEquals(List.of(new Part.Reasoning("hmm", null, false, "gemini"), new Part.Text("ok"),
        new Part.ToolCall("toolu_9", "Read", "{\"a\":1}", carried)),
        GeminiCodec.INSTANCE.readAnswer(written).content());
  }

  @Test
  void promptBlockedAndSafety() {
    WholeAnswer blocked = GeminiCodec.INSTANCE.readAnswer(bytes(
        "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":9}}"));
    assertEquals(new WholeAnswer(null, null, List.of(), StopReason.CONTENT_FILTER, null,
        new AnswerUsage(9, 0, 0, 0, 0)), blocked);
    WholeAnswer safety = GeminiCodec.INSTANCE.readAnswer(bytes(
        "{\"candidates\":[{\"finishReason\":\"RECITATION\",\"index\":0}]}"));
    assertEquals(StopReason.CONTENT_FILTER, safety.stopReason());
  }

  @Test
  void errorBodies() {
    byte[] err = bytes("{\"error\":{\"code\":400,\"message\":\"Bad thing\",\"status\":\"INVALID_ARGUMENT\"}}");
    assertEquals("Bad thing", GeminiCodec.INSTANCE.errorMessage(err));
    assertEquals("Quota", GeminiCodec.INSTANCE.errorMessage(bytes("[{\"error\":{\"code\":429,\"message\":\"Quota\"}}]")));
    assertNull(GeminiCodec.INSTANCE.errorMessage(bytes("not json")));
    ConversionException e = assertThrows(ConversionException.class, () -> GeminiCodec.INSTANCE.readAnswer(err));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
  }
}
