package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.UsageTap;
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
  void theDialectsByteCheckLeavesOutOnlyChunksThatHoldNoError() {
    List<Dialect> dialects = List.of(AnthropicDialect.INSTANCE, ResponsesDialect.INSTANCE, ChatDialect.INSTANCE,
        GeminiDialect.INSTANCE);
    List<String> chunks = List.of(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"x\"}}\n\n",
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"m\","
            + "\"usage\":{\"input_tokens\":3}}}\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n",
        "data: {\"type\":\"\\u0065rror\",\"\\u0065rror\":{\"type\":\"overloaded\"}}\n\n",
        "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\"}}\n\n",
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"model\":\"m\"}}\n\n",
        "data: {\"error\":{\"message\":\"x\",\"type\":\"server_error\"}}\n\n",
        "data: {\"\\u0065rror\":{\"message\":\"x\",\"type\":\"overloaded\"}}\n\n",
        "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n",
        "data: {\"error\":{\"code\":503,\"message\":\"x\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n",
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}],\"modelVersion\":\"g\"}\r\n\r\n");
    int leftOut = 0;
    for (Dialect dialect : dialects) {
      for (String chunk : chunks) {
        UsageTap read = FirstChunk.refusal(dialect.newTap(), of(chunk));
        UsageTap checked = FirstChunk.refusal(dialect, of(chunk));
        assertEquals(read == null ? null : read.errorType(), checked == null ? null : checked.errorType(),
            dialect.id() + ": " + chunk);
        byte[] bytes = chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        leftOut += dialect.mayHoldStreamError(bytes, 0, bytes.length) ? 0 : 1;
      }
    }
    // The answers' usual first chunks are not read a second time.
    assertTrue(leftOut >= 12, "chunks left out: " + leftOut);
    byte[] start = chunks.get(1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(AnthropicDialect.INSTANCE.mayHoldStreamError(start, 0, start.length));
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
