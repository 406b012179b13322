package dev.relaycluster.protocol.openai;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Azure OpenAI's answers, as its resources send them. */
class AzureAnswersTest {

  static final long NOW = 1_764_690_000_000L;

  @Test
  void aMissingDeploymentIsAConfigurationErrorThatBlocksTheAccount() {
    AnswerVerdict v = AzureAnswers.classify(404, Map.of(), utf8("{\"error\":{\"code\":\"DeploymentNotFound\","
        + "\"message\":\"The API deployment for this resource does not exist. If you created the deployment within"
        + " the last 5 minutes, please wait a moment and try again.\"}}"), NOW);
    assertEquals(AnswerClass.ORG_DISABLED, v.answerClass());
    assertEquals(404, v.status());
    assertTrue(v.failover(), "another account may serve the request");
    assertTrue(v.message().contains("deployment does not exist"), v.message());
    assertTrue(v.message().contains("The API deployment for this resource does not exist"), v.message());
  }

  @Test
  void anyOther404IsAboutTheRequest() {
    AnswerVerdict v = AzureAnswers.classify(404, Map.of(), utf8("{\"error\":{\"code\":\"404\",\"message\":"
        + "\"Resource not found\"}}"), NOW);
    assertEquals(AnswerClass.REQUEST_ERROR, v.answerClass());
    assertFalse(v.failover());
  }

  @Test
  void aRejectedKeyIsUnauthorized() {
    AnswerVerdict v = AzureAnswers.classify(401, Map.of(), utf8("{\"error\":{\"code\":\"401\",\"message\":\"Access"
        + " denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an"
        + " active subscription and use a correct regional API endpoint for your resource.\"}}"), NOW);
    assertEquals(AnswerClass.UNAUTHORIZED, v.answerClass());
    assertTrue(v.message().startsWith("Access denied"), v.message());
  }

  @Test
  void aRateLimitWaitsAsLongAsRetryAfterMsSays() {
    AnswerVerdict v = AzureAnswers.classify(429, Map.of("retry-after-ms", "7200", "retry-after", "8",
        "x-ratelimit-remaining-requests", "0", "x-ratelimit-remaining-tokens", "1200"), utf8("{\"error\":{\"code\":"
        + "\"429\",\"message\":\"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version"
        + " 2024-10-21 have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after"
        + " 8 seconds.\"}}"), NOW);
    assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
    assertEquals(8, v.retryAfterSeconds(), "7.2 s rounded up");
    assertEquals(0, v.resetAtMillis(), "no reset time beyond the retry-after");
    assertEquals(1.0, v.utilisation5h(), 1e-9, "a remaining budget of 0 is a full one");
    AnswerVerdict seconds = AzureAnswers.classify(429, Map.of("retry-after", "12"), utf8("{\"error\":{\"code\":"
        + "\"429\",\"message\":\"Rate limit is exceeded. Try again in 12 seconds.\"}}"), NOW);
    assertEquals(12, seconds.retryAfterSeconds());
  }

  @Test
  void remainingBudgetsWithoutLimitsSayNothingUnlessSpent() {
    assertEquals(-1, AzureAnswers.classify(200, Map.of("x-ratelimit-remaining-requests", "99",
        "x-ratelimit-remaining-tokens", "99000"), null, NOW).utilisation(), 1e-9);
    AnswerVerdict withLimits = AzureAnswers.classify(200, Map.of("x-ratelimit-limit-requests", "100",
        "x-ratelimit-remaining-requests", "25"), null, NOW);
    assertEquals(0.75, withLimits.utilisation(), 1e-9);
    assertTrue(AzureAnswers.isHealthHeader("x-ratelimit-remaining-tokens"));
    assertTrue(AzureAnswers.isHealthHeader("retry-after-ms"));
    assertFalse(AzureAnswers.isHealthHeader("apim-request-id"));
  }

  @Test
  void aFilteredPromptIsTheClientsOwnError() {
    AnswerVerdict v = AzureAnswers.classify(400, Map.of(), utf8("{\"error\":{\"message\":\"The response was"
        + " filtered due to the prompt triggering Azure OpenAI's content management policy.\",\"type\":null,"
        + "\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400,\"innererror\":{\"code\":"
        + "\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{\"hate\":{\"filtered\":true,\"severity\":"
        + "\"high\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}}}}"), NOW);
    assertEquals(AnswerClass.REQUEST_ERROR, v.answerClass());
    assertFalse(v.failover());
  }

  @Test
  void serverErrorsAreTransientAndStreamErrorsAreJudgedByTheSameRules() {
    assertEquals(AnswerClass.SERVER_ERROR, AzureAnswers.classify(500, Map.of(), utf8("{\"error\":{\"code\":"
        + "\"InternalServerError\",\"message\":\"The service is temporarily unable to process your request.\"}}"),
        NOW).answerClass());
    assertEquals(AnswerClass.UNREACHABLE, AzureAnswers.classify(504, Map.of(), null, NOW).answerClass());
    AnswerVerdict inStream = AzureAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"error\":{\"type\":"
        + "\"server_error\",\"message\":\"The server had an error\"}}"), NOW);
    assertEquals(AnswerClass.SERVER_ERROR, inStream.answerClass());
    assertNull(AzureAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"error\":{\"code\":\"content_filter\","
        + "\"message\":\"filtered\"}}"), NOW), "a filtered answer says nothing about the account");
  }
}
