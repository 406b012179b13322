package dev.relaycluster.protocol.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.SocketFrames.Kind;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponsesSocketFramesTest {
  private static final ResponsesSocketFrames FRAMES = ResponsesSocketFrames.INSTANCE;

  private static Kind kind(String frame) {
    return FRAMES.classify(frame.getBytes(StandardCharsets.UTF_8)).kind();
  }

  @Test
  void createStartsATurnAndAcknowledgementsGoUp() {
    assertEquals(Kind.TURN, kind("{\"type\":\"response.create\",\"model\":\"gpt-5-codex\",\"input\":[]}"));
    assertEquals(Kind.TURN, kind("{\"type\":\"response.create\",\"model\":\"gpt-5-codex\",\"generate\":false}"));
    assertEquals(Kind.FORWARD, kind("{\"type\":\"response.processed\",\"response_id\":\"resp_1\"}"));
  }

  @Test
  void anythingElseIsRefusedWithAReason() {
    assertEquals(Kind.INVALID, kind("not json"));
    assertEquals(Kind.INVALID, kind("[1,2]"));
    assertEquals(Kind.INVALID, kind("{\"model\":\"gpt-5\"}"));
    assertEquals(Kind.INVALID, kind("{\"type\":\"session.update\"}"));
    assertTrue(FRAMES.classify("{\"type\":\"session.update\"}".getBytes(StandardCharsets.UTF_8)).reason()
        .contains("session.update"));
  }

  @Test
  void errorFramesAreTheWrappedFormWithStatusAndCode() throws Exception {
    JsonNode frame = Json.parse(FRAMES.errorFrame(ErrorKind.RATE_LIMITED, "over the key's concurrency limit"));
    assertEquals("error", frame.path("type").asText());
    assertEquals(429, frame.path("status").asInt());
    assertEquals("rate_limit_exceeded", frame.path("error").path("code").asText());
    assertEquals("over the key's concurrency limit", frame.path("error").path("message").asText());
    // The relay's own error frames say the same about an account as upstream's would.
    assertEquals(429, OpenAiErrorBody.eventStatus(frame));
  }

  @Test
  void aTurnThatContinuesAPreviousResponseIsNotReplayable() {
    assertTrue(FRAMES.replayable(bytes("{\"type\":\"response.create\",\"model\":\"gpt-5-codex\",\"input\":[]}")));
    assertTrue(FRAMES.replayable(bytes("{\"type\":\"response.create\",\"previous_response_id\":null}")));
    assertFalse(FRAMES.replayable(bytes("{\"type\":\"response.create\",\"previous_response_id\":\"resp_1\"}")));
    assertFalse(FRAMES.replayable(bytes("not json")));
  }

  @Test
  void framesThatOnlyAnnounceATurnCarryNoOutput() {
    assertTrue(FRAMES.announcesOnly(bytes("{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\"}}")));
    assertTrue(FRAMES.announcesOnly(bytes("{\"type\":\"response.in_progress\",\"response\":{}}")));
    assertTrue(FRAMES.announcesOnly(bytes("{\"type\":\"codex.rate_limits\",\"plan_type\":\"plus\"}")));
    assertFalse(FRAMES.announcesOnly(bytes("{\"type\":\"response.output_text.delta\",\"delta\":\"hi\"}")));
    assertFalse(FRAMES.announcesOnly(bytes("{\"type\":\"error\",\"status\":429}")));
    assertFalse(FRAMES.announcesOnly(bytes("{\"type\":\"response.failed\"}")));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
