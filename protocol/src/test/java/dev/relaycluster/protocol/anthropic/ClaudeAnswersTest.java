package dev.relaycluster.protocol.anthropic;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.ratelimit.ModelFamily;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaudeAnswersTest {
  private static final String RATE_LIMIT = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
      + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}";

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String error(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
  }

  @Test
  void rateLimitWithUnifiedResetIsAccountWideUntilThen() {
    AnswerVerdict v = ClaudeAnswers.classify(429, Map.of("anthropic-ratelimit-unified-status", "rejected",
        "anthropic-ratelimit-unified-reset", "1795310000", "retry-after", "7"), b(RATE_LIMIT));
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(1_795_310_000_000L, v.resetAtMillis());
    assertEquals(7, v.retryAfterSeconds());
    assertNull(v.family());
    assertTrue(v.failover());
  }

  @Test
  void rateLimitWithoutResetHasNoResetTime() {
    AnswerVerdict v = ClaudeAnswers.classify(429, Map.of(), b(RATE_LIMIT));
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(0, v.resetAtMillis());
    assertEquals(-1, v.retryAfterSeconds());
  }

  @Test
  void opusWeeklyLimitConcernsOpusOnly() {
    AnswerVerdict byClaim = ClaudeAnswers.classify(429, Map.of(
        "anthropic-ratelimit-unified-representative-claim", "seven_day_opus",
        "anthropic-ratelimit-unified-7d_opus-status", "rejected",
        "anthropic-ratelimit-unified-7d_opus-reset", "1795900000"), b(RATE_LIMIT));
    assertEquals(ModelFamily.OPUS, byClaim.family());
    assertEquals(1_795_900_000_000L, byClaim.resetAtMillis());

    AnswerVerdict byBody = ClaudeAnswers.classify(429, Map.of("anthropic-ratelimit-unified-reset", "1795310000"),
        b(error("rate_limit_error", "You have reached your Opus weekly limit")));
    assertEquals(ModelFamily.OPUS, byBody.family());

    AnswerVerdict sonnetHeader = ClaudeAnswers.classify(429, Map.of(
        "anthropic-ratelimit-unified-7d_sonnet-status", "rejected"), b(RATE_LIMIT));
    assertEquals(ModelFamily.SONNET, sonnetHeader.family());
  }

  @Test
  void latestRejectedWindowGivesTheResetWhenThereIsNoUnifiedOne() {
    AnswerVerdict v = ClaudeAnswers.classify(429, Map.of(
        "anthropic-ratelimit-unified-5h-status", "rejected", "anthropic-ratelimit-unified-5h-reset", "1795000000",
        "anthropic-ratelimit-unified-7d-status", "allowed", "anthropic-ratelimit-unified-7d-reset", "1799000000"),
        b(RATE_LIMIT));
    assertEquals(1_795_000_000_000L, v.resetAtMillis());
  }

  @Test
  void statusClasses() {
    assertEquals(AnswerClass.OVERLOADED, ClaudeAnswers.classify(529, Map.of(),
        b(error("overloaded_error", "Overloaded"))).answerClass());
    assertEquals(AnswerClass.SERVER_ERROR, ClaudeAnswers.classify(500, Map.of(), b("")).answerClass());
    assertEquals(AnswerClass.SERVER_ERROR, ClaudeAnswers.classify(503, Map.of(), b("oops")).answerClass());
    assertEquals(AnswerClass.UNREACHABLE, ClaudeAnswers.classify(504, Map.of(), b("")).answerClass());
    assertEquals(AnswerClass.UNAUTHORIZED, ClaudeAnswers.classify(401, Map.of(),
        b(error("authentication_error", "invalid x-api-key"))).answerClass());
    AnswerVerdict bad = ClaudeAnswers.classify(400, Map.of(), b(error("invalid_request_error", "max_tokens: too big")));
    assertEquals(AnswerClass.REQUEST_ERROR, bad.answerClass());
    assertFalse(bad.failover());
    assertEquals("max_tokens: too big", bad.message());
    assertEquals(AnswerClass.SUCCESS, ClaudeAnswers.classify(200, Map.of(), b("{}")).answerClass());
  }

  @Test
  void disabledOrganisationIsRecognisedIn400And403() {
    assertEquals(AnswerClass.ORG_DISABLED, ClaudeAnswers.classify(400, Map.of(),
        b(error("invalid_request_error", "This organization has been disabled."))).answerClass());
    assertEquals(AnswerClass.ORG_DISABLED, ClaudeAnswers.classify(403, Map.of(),
        b(error("permission_error", "OAuth authentication is currently not allowed for this organization."))).answerClass());
    assertEquals(AnswerClass.REQUEST_ERROR, ClaudeAnswers.classify(403, Map.of(),
        b(error("permission_error", "Your API key does not have permission to use the specified resource."))).answerClass());
  }

  @Test
  void utilisationHeaders() {
    AnswerVerdict v = ClaudeAnswers.classify(200, Map.of("anthropic-ratelimit-unified-5h-utilization", "0.25",
        "anthropic-ratelimit-unified-7d-utilization", "0.6"), b("{}"));
    assertEquals(0.25, v.utilisation5h());
    assertEquals(0.6, v.utilisation());
    AnswerVerdict none = ClaudeAnswers.classify(200, Map.of(), b("{}"));
    assertEquals(-1, none.utilisation());
    AnswerVerdict percent = ClaudeAnswers.classify(200, Map.of("anthropic-ratelimit-unified-5h-utilization", "40"),
        b("{}"));
    assertEquals(0.4, percent.utilisation5h(), 1e-9);
  }

  @Test
  void modelFamiliesAndOpusVersions() {
    assertEquals(ModelFamily.OPUS, ModelFamily.of("claude-opus-4-5-20251101"));
    assertEquals(ModelFamily.SONNET, ModelFamily.of("claude-sonnet-4-5-20250929"));
    assertEquals(ModelFamily.HAIKU, ModelFamily.of("claude-3-5-haiku-20241022"));
    assertEquals(ModelFamily.OTHER, ModelFamily.of("gpt-5"));
    assertTrue(ModelFamily.isOpus45OrNewer("claude-opus-4-5-20251101"));
    assertTrue(ModelFamily.isOpus45OrNewer("claude-opus-5"));
    assertFalse(ModelFamily.isOpus45OrNewer("claude-opus-4-1-20250805"));
    assertFalse(ModelFamily.isOpus45OrNewer("claude-opus-4-20250514"));
    assertFalse(ModelFamily.isOpus45OrNewer("claude-3-opus-20240229"));
  }
}
