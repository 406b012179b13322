package dev.relaycluster.protocol.gemini;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiAnswersTest {
  /** 2026-11-21 10:15 UTC = 02:15 Pacific standard time. */
  static final long NOW = Instant.parse("2026-11-21T10:15:00Z").toEpochMilli();
  /** The next midnight Pacific after NOW. */
  static final long PACIFIC_MIDNIGHT = Instant.parse("2026-11-22T08:00:00Z").toEpochMilli();

  static final String PER_MINUTE = """
      {
        "error": {
          "code": 429,
          "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. \\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: gemini-2.5-pro\\nPlease retry in 37.482317386s.",
          "status": "RESOURCE_EXHAUSTED",
          "details": [
            {"@type": "type.googleapis.com/google.rpc.Help", "links": [{"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests", "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "quotaDimensions": {"location": "global", "model": "gemini-2.5-pro"}, "quotaValue": "10"}]},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}
          ]
        }
      }
      """;

  static final String DAILY = """
      {"error": {"code": 429, "message": "You exceeded your current quota, please check your plan and billing details.\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 250, model: gemini-2.5-flash\\nPlease retry in 26.1s.", "status": "RESOURCE_EXHAUSTED",
       "details": [
         {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests", "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier", "quotaDimensions": {"model": "gemini-2.5-flash", "location": "global"}, "quotaValue": "250"}]},
         {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s"}]}}
      """;

  static final String LIMIT_ZERO = """
      {"error": {"code": 429, "message": "You exceeded your current quota, please check your plan and billing details.\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-2.5-pro\\nPlease retry in 17.2s.", "status": "RESOURCE_EXHAUSTED",
       "details": [
         {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count", "quotaId": "GenerateContentInputTokensPerModelPerMinute-FreeTier", "quotaDimensions": {"model": "gemini-2.5-pro", "location": "global"}}]},
         {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "17s"}]}}
      """;

  static final String QUOTA_EXHAUSTED = """
      {"error": {"code": 429, "message": "You have exhausted your capacity on this model. Your quota will reset after 2h27m12s.", "status": "RESOURCE_EXHAUSTED",
       "details": [
         {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "QUOTA_EXHAUSTED", "domain": "cloudcode-pa.googleapis.com", "metadata": {"uiMessage": "true", "model": "gemini-2.5-pro"}},
         {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "8832.419438s"}]}}
      """;

  static final String VALIDATION_REQUIRED = """
      {"error": {"code": 403, "message": "Verify your account to continue.", "status": "PERMISSION_DENIED",
       "details": [
         {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "VALIDATION_REQUIRED", "domain": "cloudcode-pa.googleapis.com", "metadata": {"validation_link": "https://accounts.google.com/fallback"}},
         {"@type": "type.googleapis.com/google.rpc.Help", "links": [
           {"description": "Further action is required to use this service.", "url": "https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=https://developers.google.com/gemini-code-assist"},
           {"description": "Learn more", "url": "https://support.google.com/accounts?p=al_alert"}]}]}}
      """;

  static AnswerVerdict classify(int status, String body) {
    return GeminiAnswers.classify(status, Map.of(), body == null ? null : utf8(body), "pro", NOW);
  }

  static String codeAssist429(String reason, String retryDelay) {
    return "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":"
        + "\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\""
        + reason + "\",\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":{\"model\":\"gemini-2.5-pro\"}}"
        + (retryDelay == null ? "" : ",{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\""
        + retryDelay + "\"}") + "]}}";
  }

  @Test
  void perMinuteQuotaCoolsForTheRetryDelay() {
    AnswerVerdict v = classify(429, PER_MINUTE);
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(429, v.status());
    assertEquals(NOW + 37_000, v.resetAtMillis());
    assertTrue(v.message().contains("pro"), v.message());
    assertTrue(v.failover());
  }

  @Test
  void fractionalRetryDelay() {
    assertEquals(NOW + 500, classify(429, codeAssist429("RATE_LIMIT_EXCEEDED", "0.5s")).resetAtMillis());
  }

  @Test
  void dailyQuotaCoolsUntilMidnightPacific() {
    AnswerVerdict v = classify(429, DAILY);
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(PACIFIC_MIDNIGHT, v.resetAtMillis(), "the 26 s RetryInfo of a daily quota is not its reset");
    assertTrue(v.message().startsWith("daily quota"), v.message());
  }

  @Test
  void limitZeroIsTerminal() {
    AnswerVerdict v = classify(429, LIMIT_ZERO);
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(PACIFIC_MIDNIGHT, v.resetAtMillis());
    AnswerVerdict on503 = classify(503, "{\"error\":{\"code\":503,\"message\":\"Quota exceeded, limit: 0\","
        + "\"status\":\"UNAVAILABLE\"}}");
    assertEquals(AnswerClass.RATE_LIMITED, on503.answerClass());
    assertEquals(AnswerClass.RATE_LIMITED, classify(429, "{\"error\":{\"code\":429,\"message\":\"limit: 10\"}}")
        .answerClass());
    assertEquals(0, classify(429, "{\"error\":{\"code\":429,\"message\":\"limit: 0.5 per second\"}}").resetAtMillis(),
        "limit: 0.5 is no zero limit");
  }

  @Test
  void quotaExhaustedCoolsUntilTheReset() {
    assertEquals(NOW + 8_832_420, classify(429, QUOTA_EXHAUSTED).resetAtMillis());
    String withoutRetryInfo = QUOTA_EXHAUSTED.replace(",\n   {\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\","
        + " \"retryDelay\": \"8832.419438s\"}", "");
    assertTrue(!withoutRetryInfo.contains("RetryInfo"), "the fixture edit took");
    assertEquals(NOW + (2 * 3600 + 27 * 60 + 12) * 1000L, classify(429, withoutRetryInfo).resetAtMillis());
    assertEquals(NOW + 20_000, classify(429, codeAssist429("QUOTA_EXHAUSTED", "20s")).resetAtMillis(),
        "terminal, but the reset is the delay given");
    assertEquals(PACIFIC_MIDNIGHT, classify(429, codeAssist429("QUOTA_EXHAUSTED", null)).resetAtMillis());
  }

  @Test
  void creditsAndRateLimitWithoutRetryInfoAreTerminal() {
    AnswerVerdict credits = classify(429, codeAssist429("INSUFFICIENT_G1_CREDITS_BALANCE", null));
    assertEquals(AnswerClass.RATE_LIMITED, credits.answerClass());
    assertEquals(PACIFIC_MIDNIGHT, credits.resetAtMillis());
    assertEquals(PACIFIC_MIDNIGHT, classify(429, codeAssist429("RATE_LIMIT_EXCEEDED", null)).resetAtMillis());
    assertEquals(NOW + 4_000, classify(429, codeAssist429("RATE_LIMIT_EXCEEDED", "4s")).resetAtMillis());
  }

  @Test
  void longRetryDelayIsTerminal() {
    AnswerVerdict v = classify(429, codeAssist429("MODEL_CAPACITY_EXHAUSTED", "420s"));
    assertEquals(NOW + 420_000, v.resetAtMillis());
    assertTrue(v.message().startsWith("quota used up"), v.message());
    assertEquals(NOW + 30_000, classify(429, codeAssist429("MODEL_CAPACITY_EXHAUSTED", "30s")).resetAtMillis());
  }

  @Test
  void unreadable429GetsTheDefaultShortPause() {
    AnswerVerdict v = classify(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check"
        + " quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(0, v.resetAtMillis());
    assertEquals(60, v.retryAfterSeconds());
    assertEquals(60, classify(429, "<html>Too Many Requests</html>").retryAfterSeconds());
    assertEquals(60, classify(429, null).retryAfterSeconds());
    AnswerVerdict header = GeminiAnswers.classify(429, Map.of("retry-after", "12"), null, "flash", NOW);
    assertEquals(12, header.retryAfterSeconds());
    assertEquals(NOW + 9_000, classify(429, "{\"error\":{\"code\":429,\"message\":\"Please retry in 9s.\"}}")
        .resetAtMillis(), "the message's delay when there is no RetryInfo");
  }

  @Test
  void validationRequiredBlocksWithTheLink() {
    AnswerVerdict v = classify(403, VALIDATION_REQUIRED);
    assertEquals(AnswerClass.ORG_DISABLED, v.answerClass());
    assertTrue(v.message().contains("https://accounts.google.com/signin/continue?sarp=1&scc=1"), v.message());
    assertTrue(v.message().contains("VALIDATION_REQUIRED"), v.message());
    String metadataOnly = "{\"error\":{\"code\":403,\"message\":\"Verify your account.\",\"status\":\"PERMISSION_DENIED\","
        + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"VALIDATION_REQUIRED\","
        + "\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":{\"validation_link\":\"https://example.com/v\"}}]}}";
    assertTrue(classify(403, metadataOnly).message().contains("https://example.com/v"));
    String textOnly = "{\"error\":{\"code\":403,\"message\":\"VALIDATION_REQUIRED: verify at https://g.co/verify-me now\","
        + "\"status\":\"PERMISSION_DENIED\"}}";
    AnswerVerdict fromText = classify(403, textOnly);
    assertEquals(AnswerClass.ORG_DISABLED, fromText.answerClass());
    assertTrue(fromText.message().contains("open https://g.co/verify-me "), fromText.message());
  }

  @Test
  void other403s() {
    assertEquals(AnswerClass.REQUEST_ERROR, classify(403, "{\"error\":{\"code\":403,\"message\":\"The caller does not"
        + " have permission\",\"status\":\"PERMISSION_DENIED\"}}").answerClass());
    String serviceDisabled = "{\"error\":{\"code\":403,\"message\":\"Generative Language API has not been used in project"
        + " 1234 before or it is disabled.\",\"status\":\"PERMISSION_DENIED\",\"details\":[{\"@type\":"
        + "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"SERVICE_DISABLED\",\"domain\":\"googleapis.com\"}]}}";
    assertEquals(AnswerClass.ORG_DISABLED, classify(403, serviceDisabled).answerClass());
    assertEquals(AnswerClass.ORG_DISABLED, classify(403, "{\"error\":{\"code\":403,\"message\":\"Permission denied:"
        + " Consumer 'api_key:AIza' has been suspended.\",\"status\":\"PERMISSION_DENIED\"}}").answerClass());
  }

  @Test
  void credentialsAndServerTrouble() {
    AnswerVerdict unauthorized = classify(401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid"
        + " authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication"
        + " credential.\",\"status\":\"UNAUTHENTICATED\"}}");
    assertEquals(AnswerClass.UNAUTHORIZED, unauthorized.answerClass());
    assertTrue(unauthorized.message().startsWith("UNAUTHENTICATED: Request had invalid"), unauthorized.message());
    String badKey = "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":"
        + "\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":"
        + "\"API_KEY_INVALID\",\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}]}}";
    assertEquals(AnswerClass.UNAUTHORIZED, classify(400, badKey).answerClass());
    assertEquals(AnswerClass.REQUEST_ERROR, classify(400, "{\"error\":{\"code\":400,\"message\":\"* GenerateContentRequest"
        + ".contents: contents is not specified\\n\",\"status\":\"INVALID_ARGUMENT\"}}").answerClass());
    assertEquals(AnswerClass.REQUEST_ERROR, classify(404, "{\"error\":{\"code\":404,\"message\":\"models/gemini-9 is not"
        + " found\",\"status\":\"NOT_FOUND\"}}").answerClass());
    AnswerVerdict overloaded = classify(503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try"
        + " again later.\",\"status\":\"UNAVAILABLE\"}}");
    assertEquals(AnswerClass.OVERLOADED, overloaded.answerClass());
    assertTrue(overloaded.failover());
    assertEquals(AnswerClass.SERVER_ERROR, classify(499, "{\"error\":{\"code\":499,\"message\":\"The operation was"
        + " cancelled.\",\"status\":\"CANCELLED\"}}").answerClass());
    assertEquals(AnswerClass.SERVER_ERROR, classify(500, "{\"error\":{\"code\":500,\"message\":\"An internal error has"
        + " occurred.\",\"status\":\"INTERNAL\"}}").answerClass());
    assertEquals(AnswerClass.UNREACHABLE, classify(504, null).answerClass());
    AnswerVerdict ok = classify(200, null);
    assertEquals(AnswerClass.SUCCESS, ok.answerClass());
    assertEquals(-1, ok.utilisation());
    assertNull(ok.family());
  }

  @Test
  void errorBodyAsAJsonArray() {
    assertEquals(NOW + 37_000, classify(429, "[" + PER_MINUTE + "]").resetAtMillis());
  }

  @Test
  void streamErrors() {
    AnswerVerdict v = GeminiAnswers.classifyStreamError(utf8(DAILY), "flash", NOW);
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(PACIFIC_MIDNIGHT, v.resetAtMillis());
    AnswerVerdict byName = GeminiAnswers.classifyStreamError(utf8("{\"error\":{\"message\":\"The model is overloaded.\","
        + "\"status\":\"UNAVAILABLE\"}}"), "flash", NOW);
    assertEquals(AnswerClass.OVERLOADED, byName.answerClass());
    assertEquals(503, byName.status());
    assertNull(GeminiAnswers.classifyStreamError(utf8("{\"error\":{\"code\":400,\"message\":\"Request contains an"
        + " invalid argument.\",\"status\":\"INVALID_ARGUMENT\"}}"), "pro", NOW));
    assertNull(GeminiAnswers.classifyStreamError(utf8("{\"candidates\":[]}"), "pro", NOW));
    assertNull(GeminiAnswers.classifyStreamError(utf8("nope"), "pro", NOW));
    assertNull(GeminiAnswers.classifyStreamError(null, "pro", NOW));
  }

  @Test
  void quotaResetIsMidnightPacificAcrossDaylightSaving() {
    assertEquals(PACIFIC_MIDNIGHT, GeminiAnswers.nextQuotaReset(NOW));
    long summer = Instant.parse("2026-07-01T06:30:00Z").toEpochMilli(); // 23:30 PDT on June 30
    assertEquals(Instant.parse("2026-07-01T07:00:00Z").toEpochMilli(), GeminiAnswers.nextQuotaReset(summer));
    long atMidnight = Instant.parse("2026-11-22T08:00:00Z").toEpochMilli();
    assertEquals(Instant.parse("2026-11-23T08:00:00Z").toEpochMilli(), GeminiAnswers.nextQuotaReset(atMidnight));
  }

  @Test
  void modelFamilies() {
    assertEquals("pro", GeminiAnswers.modelFamily("gemini-2.5-pro"));
    assertEquals("pro", GeminiAnswers.modelFamily("models/gemini-3.1-pro-preview"));
    assertEquals("flash", GeminiAnswers.modelFamily("gemini-2.5-flash"));
    assertEquals("flash", GeminiAnswers.modelFamily("gemini-3.8-flash"));
    assertEquals("flash-lite", GeminiAnswers.modelFamily("models/gemini-2.5-flash-lite"));
    assertEquals("flash-lite", GeminiAnswers.modelFamily("gemini-3.5-flash-lite-preview-09-2025"));
    assertEquals("other", GeminiAnswers.modelFamily("gemma-3-27b-it"));
    assertEquals("other", GeminiAnswers.modelFamily("gemini-improved-embedding"));
    assertEquals("other", GeminiAnswers.modelFamily(null));
  }

  @Test
  void onlyRetryAfterIsAHealthHeader() {
    assertTrue(GeminiAnswers.isHealthHeader("retry-after"));
    assertEquals(false, GeminiAnswers.isHealthHeader("x-goog-quota"));
  }
}
