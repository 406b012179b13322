package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.anthropic.ClaudeAnswers;
import dev.relaycluster.protocol.openai.CodexAnswers;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.relay.FailoverPolicy.Step;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverPolicyTest {
  private static final long NOW = 1_795_000_000_000L;

  private static AnswerVerdict claude(int status, String body) {
    return ClaudeAnswers.classify(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRefusedCredentialIsRefreshedOnceThenFailsOver() {
    AnswerVerdict unauthorized = claude(401,
        "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"OAuth token has expired.\"}}");
    assertEquals(Step.REFRESH_AND_RETRY, FailoverPolicy.afterRefusal(unauthorized, false));
    assertEquals(Step.FAIL_OVER, FailoverPolicy.afterRefusal(unauthorized, true));
  }

  @Test
  void rateLimitsOverloadsAndServerErrorsFailOver() {
    assertEquals(Step.FAIL_OVER, FailoverPolicy.afterRefusal(claude(429,
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"), false));
    assertEquals(Step.FAIL_OVER, FailoverPolicy.afterRefusal(claude(529,
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"), false));
    assertEquals(Step.FAIL_OVER, FailoverPolicy.afterRefusal(claude(500, "oops"), false));
    assertEquals(Step.FAIL_OVER, FailoverPolicy.afterRefusal(AnswerVerdict.unreachable("refused"), false));
  }

  @Test
  void aCodexUsageLimitFailsOver() {
    String body = "{\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"The usage limit has been reached\","
        + "\"plan_type\":\"plus\",\"resets_at\":1795003600,\"resets_in_seconds\":3600}}";
    AnswerVerdict verdict = CodexAnswers.classify(429, Map.of(), body.getBytes(StandardCharsets.UTF_8), NOW);
    assertEquals(Step.FAIL_OVER, FailoverPolicy.afterRefusal(verdict, false));
  }

  @Test
  void theRequestsOwnErrorIsPassedOn() {
    assertEquals(Step.PASS_ON, FailoverPolicy.afterRefusal(claude(400,
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: too big\"}}"),
        false));
    String body = "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\","
        + "\"message\":\"Your input exceeds the context window of this model.\",\"param\":\"input\"}}";
    assertEquals(Step.PASS_ON, FailoverPolicy.afterRefusal(
        CodexAnswers.classify(400, Map.of(), body.getBytes(StandardCharsets.UTF_8), NOW), false));
  }

  @Test
  void attemptsAreBounded() {
    assertTrue(FailoverPolicy.mayTryAnother(1, 3));
    assertTrue(FailoverPolicy.mayTryAnother(2, 3));
    assertFalse(FailoverPolicy.mayTryAnother(3, 3));
    assertFalse(FailoverPolicy.mayTryAnother(1, 1));
  }
}
