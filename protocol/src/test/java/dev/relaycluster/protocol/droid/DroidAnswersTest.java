package dev.relaycluster.protocol.droid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DroidAnswersTest {
  static final long NOW = 1_764_690_000_000L;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void successSaysTheAccountWorks() {
    AnswerVerdict v = DroidAnswers.classify(200, Map.of(), null, NOW);
    assertEquals(AnswerClass.SUCCESS, v.answerClass());
    assertEquals(-1, v.utilisation());
  }

  @Test
  void unauthorizedWithTheMessage() {
    AnswerVerdict v = DroidAnswers.classify(401, Map.of(),
        utf8("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid API key\"}}"), NOW);
    assertEquals(AnswerClass.UNAUTHORIZED, v.answerClass());
    assertEquals("Invalid API key", v.message());
    assertTrue(v.failover());
  }

  @Test
  void paymentRequiredBlocksAndSaysWhy() {
    AnswerVerdict v = DroidAnswers.classify(402, Map.of(), utf8("{\"detail\":\"Insufficient credits\"}"), NOW);
    assertEquals(AnswerClass.ORG_DISABLED, v.answerClass());
    assertEquals("payment required (out of credits): Insufficient credits", v.message());
    assertTrue(v.failover());
    assertEquals("payment required (out of credits)", DroidAnswers.classify(402, Map.of(), null, NOW).message());
  }

  @Test
  void forbiddenBlocks() {
    AnswerVerdict v = DroidAnswers.classify(403, Map.of(), utf8("{\"error\":{\"message\":\"org suspended\"}}"), NOW);
    assertEquals(AnswerClass.ORG_DISABLED, v.answerClass());
    assertEquals("forbidden: org suspended", v.message());
  }

  @Test
  void rateLimitCoolsForRetryAfterInSecondsOrAsADate() {
    AnswerVerdict v = DroidAnswers.classify(429, Map.of("retry-after", "17"),
        utf8("{\"error\":{\"message\":\"slow down\"}}"), NOW);
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(17, v.retryAfterSeconds());
    assertEquals(0, v.resetAtMillis());
    // Tue, 02 Dec 2025 15:40:00 GMT is NOW + 60 s.
    AnswerVerdict dated = DroidAnswers.classify(429, Map.of("retry-after", "Tue, 02 Dec 2025 15:41:00 GMT"), null, NOW);
    assertEquals(60, dated.retryAfterSeconds());
    assertEquals(-1, DroidAnswers.classify(429, Map.of(), null, NOW).retryAfterSeconds());
    assertEquals(-1, DroidAnswers.classify(429, Map.of("retry-after", "soon"), null, NOW).retryAfterSeconds());
  }

  @Test
  void serverErrorsAreTransientClasses() {
    assertEquals(AnswerClass.SERVER_ERROR, DroidAnswers.classify(500, Map.of(), null, NOW).answerClass());
    assertEquals(AnswerClass.SERVER_ERROR, DroidAnswers.classify(503, Map.of(), null, NOW).answerClass());
    assertEquals(AnswerClass.UNREACHABLE, DroidAnswers.classify(504, Map.of(), null, NOW).answerClass());
    assertEquals(AnswerClass.OVERLOADED, DroidAnswers.classify(529, Map.of(), null, NOW).answerClass());
  }

  @Test
  void aClientsOwnErrorNeverMarksTheAccount() {
    for (int status : new int[] {400, 404, 413, 422}) {
      AnswerVerdict v = DroidAnswers.classify(status, Map.of(),
          utf8("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: bad\"}}"),
          NOW);
      assertEquals(AnswerClass.REQUEST_ERROR, v.answerClass(), "status " + status);
      assertFalse(v.failover());
      assertEquals("max_tokens: bad", v.message());
    }
  }

  @Test
  void messagesFromEveryBodyShape() {
    assertEquals("plain", DroidAnswers.errorMessage(utf8("{\"error\":\"plain\"}")));
    assertEquals("top", DroidAnswers.errorMessage(utf8("{\"message\":\"top\"}")));
    assertEquals("not json", DroidAnswers.errorMessage(utf8(" not json ")));
    assertEquals("", DroidAnswers.errorMessage(new byte[0]));
    assertEquals(300, DroidAnswers.errorMessage(utf8("x".repeat(500))).length());
  }

  @Test
  void streamErrorsOnlyForAccountTroubles() {
    assertEquals(AnswerClass.OVERLOADED,
        DroidAnswers.classifyStreamError("overloaded_error", null, NOW).answerClass());
    assertEquals(AnswerClass.RATE_LIMITED,
        DroidAnswers.classifyStreamError("rate_limit_error", null, NOW).answerClass());
    assertEquals(AnswerClass.SERVER_ERROR, DroidAnswers.classifyStreamError("api_error", null, NOW).answerClass());
    assertNull(DroidAnswers.classifyStreamError("invalid_request_error", null, NOW));
    assertNull(DroidAnswers.classifyStreamError(null, null, NOW));
  }

  @Test
  void healthHeaderIsRetryAfter() {
    assertTrue(DroidAnswers.isHealthHeader("retry-after"));
    assertFalse(DroidAnswers.isHealthHeader("x-ratelimit-limit-requests"));
  }
}
