package dev.relaycluster.account;

import dev.relaycluster.protocol.ratelimit.AnswerVerdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.anthropic.ClaudeAnswers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each error class of an upstream answer and the health decision it leads to. */
class CooldownRulesTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final RelaySettings.Accounts.Cooldowns CFG = new RelaySettings.Accounts.Cooldowns(
      Duration.ofSeconds(60), Duration.ofDays(7), Duration.ofSeconds(300), Duration.ofSeconds(60), Duration.ofSeconds(45));

  private static HealthDecision decide(int status, Map<String, String> headers, String body) {
    return decide(status, headers, body, false, false);
  }

  private static HealthDecision decide(int status, Map<String, String> headers, String body, boolean canRefresh,
      boolean afterRefresh) {
    return CooldownRules.decide(ClaudeAnswers.classify(status, headers, body.getBytes(StandardCharsets.UTF_8)), NOW,
        CFG, canRefresh, afterRefresh);
  }

  private static CooldownMark cool(HealthDecision d) {
    return assertInstanceOf(HealthDecision.Cool.class, d).mark();
  }

  private static String error(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
  }

  @Test
  void rateLimitWithAResetCoolsUntilTheReset() {
    long reset = NOW / 1000 + 4 * 3600;
    CooldownMark m = cool(decide(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset)),
        error("rate_limit_error", "limit")));
    assertEquals(reset * 1000, m.until());
    assertEquals(CooldownMark.WHOLE_ACCOUNT, m.family());
    assertFalse(m.transientError(), "a real window limit is not transient");
    assertEquals(429, m.status());
  }

  @Test
  void rateLimitForOneFamilyCoolsThatFamily() {
    long reset = NOW / 1000 + 3 * 86400;
    CooldownMark m = cool(decide(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset),
        "anthropic-ratelimit-unified-representative-claim", "seven_day_opus"), error("rate_limit_error", "limit")));
    assertEquals("opus", m.family());
    assertEquals(reset * 1000, m.until());
  }

  @Test
  void aPerModelQuotaCoolsTheRequestsFamilyOnly() {
    String body = "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\","
        + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"7s\"}]}}";
    AnswerVerdict v = dev.relaycluster.protocol.gemini.GeminiAnswers.classify(429, Map.of(),
        body.getBytes(StandardCharsets.UTF_8), null, NOW);
    CooldownMark m = cool(CooldownRules.decide(v, NOW, CFG, false, false, "pro"));
    assertEquals("pro", m.family());
    assertTrue(m.until() >= NOW + 7_000 && m.until() <= NOW + 8_000, "cools for the retry delay: " + m);
    // The same answer with no family known cools the whole account.
    assertEquals(CooldownMark.WHOLE_ACCOUNT, cool(CooldownRules.decide(v, NOW, CFG, false, false, null)).family());
    // A Claude 429 without a family stays account-wide whatever the request's family.
    assertEquals(CooldownMark.WHOLE_ACCOUNT, cool(CooldownRules.decide(ClaudeAnswers.classify(429, Map.of(),
        error("rate_limit_error", "limit").getBytes(StandardCharsets.UTF_8)), NOW, CFG, false, false, "sonnet")).family());
  }

  @Test
  void aChatGptPlanWithoutTheModelCoolsThatModelOnly() {
    String body = "{\"error\":{\"type\":\"usage_not_included\",\"message\":\"Your plan does not include this model\","
        + "\"plan_type\":\"plus\"}}";
    AnswerVerdict v = dev.relaycluster.protocol.openai.CodexAnswers.classify(429, Map.of(),
        body.getBytes(StandardCharsets.UTF_8), NOW);
    CooldownMark m = cool(CooldownRules.decide(v, NOW, CFG, true, false, "gpt-5-pro"));
    assertEquals("gpt-5-pro", m.family());
    assertTrue(m.covers("gpt-5-pro"));
    assertFalse(m.covers("gpt-5-codex"), "the account still serves its other models");
    assertEquals(NOW + Duration.ofDays(1).toMillis(), m.until());
    AnswerVerdict limit = dev.relaycluster.protocol.openai.CodexAnswers.classify(429, Map.of(),
        "{\"error\":{\"type\":\"usage_limit_reached\",\"resets_in_seconds\":60}}".getBytes(StandardCharsets.UTF_8), NOW);
    assertEquals(CooldownMark.WHOLE_ACCOUNT, cool(CooldownRules.decide(limit, NOW, CFG, true, false, "gpt-5-pro")).family(),
        "a used-up plan window stops every model");
  }

  @Test
  void aResetFurtherThanTheCapIsCapped() {
    long reset = NOW / 1000 + 30L * 86400;
    assertEquals(NOW + Duration.ofDays(7).toMillis(),
        cool(decide(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset)), "")).until());
  }

  @Test
  void rateLimitWithRetryAfterOrNothingCoolsBrieflyAndTransiently() {
    CooldownMark retry = cool(decide(429, Map.of("retry-after", "17"), error("rate_limit_error", "slow down")));
    assertEquals(NOW + 17_000, retry.until());
    assertTrue(retry.transientError());
    CooldownMark none = cool(decide(429, Map.of(), error("rate_limit_error", "slow down")));
    assertEquals(NOW + 60_000, none.until());
    assertTrue(none.transientError());
    CooldownMark stale = cool(decide(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(NOW / 1000 - 10)),
        ""));
    assertEquals(NOW + 60_000, stale.until(), "a reset in the past is no reset");
  }

  @Test
  void overloadedServerErrorsAndTimeoutsCoolForTheirConfiguredSpans() {
    CooldownMark overloaded = cool(decide(529, Map.of(), error("overloaded_error", "Overloaded")));
    assertEquals(NOW + 300_000, overloaded.until());
    assertTrue(overloaded.transientError());
    assertEquals(NOW + 60_000, cool(decide(500, Map.of(), "")).until());
    assertEquals(NOW + 60_000, cool(decide(503, Map.of(), "")).until());
    assertEquals(NOW + 45_000, cool(decide(504, Map.of(), "")).until());
    assertEquals(NOW + 45_000, cool(CooldownRules.decide(AnswerVerdict.unreachable("refused"), NOW, CFG, false,
        false)).until());
  }

  @Test
  void unauthorizedRefreshesOnceThenMarksTheAccount() {
    String body = error("authentication_error", "OAuth token has expired.");
    assertInstanceOf(HealthDecision.Refresh.class, decide(401, Map.of(), body, true, false));
    HealthDecision after = decide(401, Map.of(), body, true, true);
    assertTrue(assertInstanceOf(HealthDecision.Unauthorized.class, after).reason().contains("after a token refresh"));
    assertInstanceOf(HealthDecision.Unauthorized.class, decide(401, Map.of(), body, false, false));
  }

  @Test
  void disabledOrganisationBlocks() {
    HealthDecision d = decide(403, Map.of(), error("permission_error", "This organization has been disabled."));
    assertTrue(assertInstanceOf(HealthDecision.Block.class, d).reason().contains("organization has been disabled"));
    assertInstanceOf(HealthDecision.Block.class,
        decide(400, Map.of(), error("invalid_request_error", "This organization has been disabled.")));
  }

  @Test
  void successIsHealthyWithItsUtilisationAndBadRequestsSayNothing() {
    HealthDecision ok = decide(200, Map.of("anthropic-ratelimit-unified-5h-utilization", "0.42"), "{}");
    assertEquals(0.42, assertInstanceOf(HealthDecision.Healthy.class, ok).utilisation());
    assertInstanceOf(HealthDecision.Nothing.class, decide(400, Map.of(), error("invalid_request_error", "bad")));
    assertInstanceOf(HealthDecision.Nothing.class, decide(404, Map.of(), error("not_found_error", "no model")));
  }
}
