package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

/** The guard's own answers: in the dialect the routes mount at the path, and always closing the connection. */
class GuardAnswersTest {

  @Test
  void theDialectFollowsTheMounts() {
    assertSame(AnthropicDialect.INSTANCE, GuardAnswers.dialectOf("/api/v1/messages"));
    assertSame(AnthropicDialect.INSTANCE, GuardAnswers.dialectOf("/v1/messages"));
    assertSame(AnthropicDialect.INSTANCE, GuardAnswers.dialectOf("/claude/v1/messages"));
    assertSame(ResponsesDialect.INSTANCE, GuardAnswers.dialectOf("/openai/v1/responses"));
    assertSame(ResponsesDialect.INSTANCE, GuardAnswers.dialectOf("/v1/responses"));
    assertSame(ResponsesDialect.INSTANCE, GuardAnswers.dialectOf("/v1/responses/compact"));
    assertSame(GeminiDialect.INSTANCE, GuardAnswers.dialectOf("/gemini/v1beta/models/gemini-2.5-pro:generateContent"));
    assertSame(GeminiDialect.INSTANCE, GuardAnswers.dialectOf("/gemini/v1internal:streamGenerateContent"));
    assertSame(GeminiDialect.INSTANCE, GuardAnswers.dialectOf("/v1beta/models/gemini-2.5-pro:countTokens"));
    assertSame(AnthropicDialect.INSTANCE, GuardAnswers.dialectOf("/geminis"));
    for (String chat : new String[] {"/v1/chat/completions", "/api/v1/chat/completions", "/openai/v1/chat/completions",
        "/openai/claude/v1/chat/completions", "/openai/gemini/v1/chat/completions"}) {
      assertSame(ChatDialect.INSTANCE, GuardAnswers.dialectOf(chat), chat);
    }
  }

  @Test
  void onlyHealthAndTheAdminAreReserved() {
    assertTrue(GuardAnswers.reservedPath("/health"));
    assertTrue(GuardAnswers.reservedPath("/metrics"));
    assertTrue(GuardAnswers.reservedPath("/admin/api/keys"));
    assertTrue(GuardAnswers.reservedPath("/admin/"));
    assertFalse(GuardAnswers.reservedPath("/healthz"));
    assertFalse(GuardAnswers.reservedPath("/administrator"));
    assertFalse(GuardAnswers.reservedPath("/api/v1/messages"));
  }

  @Test
  void bothAnswersCloseTheConnection() {
    HttpResponse stalled = GuardAnswers.bodyStalled(HttpRequest.POST("/openai/v1/responses"), 30);
    assertEquals(408, stalled.status().intValue());
    assertEquals("close", stalled.getHeader("connection").orElseThrow().value());
    HttpResponse over = GuardAnswers.overCap(HttpRequest.POST("/v1/messages"), 100);
    assertEquals(503, over.status().intValue());
    assertEquals("1", over.getHeader("retry-after").orElseThrow().value());
    assertEquals("close", over.getHeader("connection").orElseThrow().value());
  }
}
