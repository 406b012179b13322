package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Which first chunks of a stream are upstream's refusal: its error event before any answer (and no end), or bytes
 * that are no event stream at all.
 */
class FirstChunkTest {
  private static ByteString of(String s) {
    return ByteString.fromString(s);
  }

  @Test
  void anErrorEventFirstIsARefusalInEveryDialect() {
    assertEquals("overloaded_error", FirstChunk.refusal(AnthropicDialect.INSTANCE.newTap(), of("event: error\ndata: "
        + "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")).errorType());
    assertNotNull(FirstChunk.refusal(ResponsesDialect.INSTANCE.newTap(), of("event: response.created\ndata: "
        + "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}\n\n"
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"x\"}}\n\n")));
    assertNotNull(FirstChunk.refusal(ChatDialect.INSTANCE.newTap(), of("data: {\"error\":{\"message\":\"x\","
        + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n")));
    assertEquals("UNAVAILABLE", FirstChunk.refusal(GeminiDialect.INSTANCE.newTap(), of("data: {\"error\":{\"code\":503,"
        + "\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n")).errorType());
  }

  @Test
  void anAnswerOrAnUnreadableChunkIsNot() {
    assertNull(FirstChunk.refusal(AnthropicDialect.INSTANCE.newTap(), of("event: message_start\ndata: "
        + "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":3}}}\n\n")));
    assertNull(FirstChunk.refusal(ChatDialect.INSTANCE.newTap(), of("\u00ff\u0001 not an event stream \n\n")));
    // A whole stream that ends normally in one chunk is an answer, whatever came before its end.
    assertNull(FirstChunk.refusal(ChatDialect.INSTANCE.newTap(), of("data: {\"choices\":[]}\n\ndata: [DONE]\n\n")));
  }

  @Test
  void bytesThatCannotStartAnEventStreamAreNotOne() {
    assertTrue(FirstChunk.notAnEventStream(of("\u00ff\u0001 not an event stream \n\n")));
    assertTrue(FirstChunk.notAnEventStream(of("<html><body>502 Bad Gateway</body></html>")));
    assertTrue(FirstChunk.notAnEventStream(of("{\"type\":\"message\"}")));
    for (String start : List.of("event: message_start\n", "data: {\"a\":1}\n\n", ": keep-alive\n\n", "id: 7\n",
        "retry: 3000\n", "\r\n\r\ndata: x\n\n", "\ufeffdata: x\n\n", "da", "ev", "\n")) {
      assertFalse(FirstChunk.notAnEventStream(ByteString.fromString(start, java.nio.charset.StandardCharsets.UTF_8)),
          start);
    }
  }
}
