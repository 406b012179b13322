package dev.relaycluster.upstream.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.upstream.UpstreamCall;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** OpenAI API-key accounts take Chat Completions as the client sent it; the ChatGPT backend does not. */
class OpenAiPlatformChatTest {
  private final OpenAiPlatform platform = new OpenAiPlatform();

  private static UpstreamCall chat(String body, boolean stream) {
    return new UpstreamCall("chat/completions", null, List.of(), ContentTypes.APPLICATION_JSON,
        ByteString.fromString(body), new RequestView("gpt-4.1", stream, -1, true, null));
  }

  @Test
  void speaksAndServesChatWhereCodexDoesNot() {
    assertTrue(platform.speaks(DialectId.OPENAI_CHAT));
    assertTrue(platform.speaks(DialectId.OPENAI_RESPONSES));
    assertFalse(platform.speaks(DialectId.ANTHROPIC));
    assertTrue(platform.serves("chat/completions"));
    assertTrue(platform.serves("responses"));
    assertEquals(DialectId.OPENAI_RESPONSES, platform.dialect());
    CodexPlatform codex = new CodexPlatform();
    assertFalse(codex.speaks(DialectId.OPENAI_CHAT));
    assertFalse(codex.serves("chat/completions"));
  }

  @Test
  void aStreamIsAskedForUsageOnlyWhenTheClientDidNot() {
    String plain = "{\"model\":\"gpt-4.1\",\"stream\":true,\"messages\":[]}";
    assertEquals("{\"stream_options\":{\"include_usage\":true}," + plain.substring(1),
        platform.body(chat(plain, true), null).utf8String());
    assertFalse(platform.framing(chat(plain, true)).identity());
    String asked = "{\"model\":\"gpt-4.1\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}";
    assertEquals(asked, platform.body(chat(asked, true), null).utf8String());
    assertSame(AnswerFraming.IDENTITY, platform.framing(chat(asked, true)));
    String whole = "{\"model\":\"gpt-4.1\",\"messages\":[]}";
    assertEquals(whole, platform.body(chat(whole, false), null).utf8String());
    assertSame(AnswerFraming.IDENTITY, platform.framing(chat(whole, false)));
    assertEquals("http://up.example/v1/chat/completions", platform.request(chat(whole, false),
        new dev.relaycluster.upstream.Credential("a1", "openai-api", "http://up.example", "sk-x", null, null, null)).getUri().toString());
  }

  @Test
  void aChatStreamsErrorObjectIsJudgedAsTheErrorEventItIs() {
    AnswerVerdict v = platform.classifyStreamError("server_error", ("{\"error\":{\"message\":\"The server had an "
        + "error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}").getBytes(StandardCharsets.UTF_8), 1000);
    assertNotNull(v);
    assertEquals(AnswerClass.SERVER_ERROR, v.answerClass());
  }
}
