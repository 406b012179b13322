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

class CodexAnswersTest {

    static final long NOW = 1_764_690_000_000L;

    /** Headers as chatgpt.com/backend-api/codex/responses sends them on a 200 stream. */
    static final Map<String, String> OK_HEADERS = Map.ofEntries(
            Map.entry("content-type", "text/event-stream; charset=utf-8"),
            Map.entry("x-codex-plan-type", "plus"),
            Map.entry("x-codex-active-limit", "codex"),
            Map.entry("x-codex-primary-used-percent", "37"),
            Map.entry("x-codex-primary-window-minutes", "300"),
            Map.entry("x-codex-primary-reset-after-seconds", "9321"),
            Map.entry("x-codex-primary-reset-at", "1764699321"),
            Map.entry("x-codex-secondary-used-percent", "64.5"),
            Map.entry("x-codex-secondary-window-minutes", "10080"),
            Map.entry("x-codex-secondary-reset-after-seconds", "301234"),
            Map.entry("x-codex-secondary-reset-at", "1764991234"),
            Map.entry("x-codex-primary-over-secondary-limit-percent", "0"),
            Map.entry("x-codex-credits-has-credits", "False"),
            Map.entry("x-codex-credits-unlimited", "False"),
            Map.entry("x-request-id", "req_8f3c"));

    @Test
    void successCarriesBothWindows() {
        AnswerVerdict v = CodexAnswers.classify(200, OK_HEADERS, null, NOW);
        assertEquals(AnswerClass.SUCCESS, v.answerClass());
        assertEquals(0.37, v.utilisation5h(), 1e-9);
        assertEquals(0.645, v.utilisation7d(), 1e-9);
        assertEquals(0, v.resetAtMillis());
        assertEquals(-1, v.retryAfterSeconds());
        assertEquals("", v.message());
    }

    @Test
    void weeklyWindowInThePrimarySlotIsClassifiedByMinutes() {
        AnswerVerdict v = CodexAnswers.classify(200, Map.of(
                "x-codex-primary-used-percent", "12",
                "x-codex-primary-window-minutes", "10080",
                "x-codex-secondary-used-percent", "80",
                "x-codex-secondary-window-minutes", "300"), null, NOW);
        assertEquals(0.80, v.utilisation5h(), 1e-9);
        assertEquals(0.12, v.utilisation7d(), 1e-9);
    }

    @Test
    void windowsForTheAdminView() {
        CodexWindows w = CodexAnswers.windows(OK_HEADERS, NOW);
        assertEquals(new CodexWindows(37, 300, 1_764_699_321_000L, 64.5, 10080, 1_764_991_234_000L), w);
        assertTrue(w.present());
        CodexWindows onlyAfter = CodexAnswers.windows(Map.of("x-codex-primary-used-percent", "100",
                "x-codex-primary-reset-after-seconds", "600"), NOW);
        assertEquals(NOW + 600_000, onlyAfter.primaryResetAtMillis());
        assertEquals(NOW + 600_000, onlyAfter.exhaustedResetAtMillis());
        assertEquals(-1, onlyAfter.secondaryUsedPercent());
        assertFalse(CodexAnswers.windows(Map.of(), NOW).present());
    }

    @Test
    void usageLimitReachedCoolsUntilResetsAt() {
        byte[] body = utf8("{\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"The usage limit has been reached\","
                + "\"plan_type\":\"plus\",\"resets_at\":1764699321,\"eligible_promo\":null,\"resets_in_seconds\":9321}}");
        AnswerVerdict v = CodexAnswers.classify(429, Map.of("x-codex-primary-used-percent", "100",
                "x-codex-primary-window-minutes", "300"), body, NOW);
        assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
        assertEquals(1_764_699_321_000L, v.resetAtMillis());
        assertEquals(1.0, v.utilisation5h());
        assertNull(v.family());
        assertEquals("The usage limit has been reached", v.message());
        assertTrue(v.failover());
    }

    @Test
    void usageLimitWithOnlyResetsInSecondsOrOnlyHeaders() {
        AnswerVerdict inSeconds = CodexAnswers.classify(429, Map.of(),
                utf8("{\"error\":{\"type\":\"usage_limit_reached\",\"resets_in_seconds\":1800}}"), NOW);
        assertEquals(NOW + 1_800_000, inSeconds.resetAtMillis());
        AnswerVerdict fromHeaders = CodexAnswers.classify(429, Map.of(
                "x-codex-primary-used-percent", "41", "x-codex-primary-reset-at", "1764699321",
                "x-codex-secondary-used-percent", "100", "x-codex-secondary-window-minutes", "10080",
                "x-codex-secondary-reset-at", "1764991234"),
                utf8("{\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"limit\"}}"), NOW);
        assertEquals(1_764_991_234_000L, fromHeaders.resetAtMillis());
        assertEquals(1.0, fromHeaders.utilisation7d());
    }

    @Test
    void usageNotIncludedPausesTheAccountForADay() {
        AnswerVerdict v = CodexAnswers.classify(429, Map.of(), utf8("{\"error\":{\"type\":\"usage_not_included\","
                + "\"message\":\"To use Codex with your ChatGPT plan, upgrade to Plus\",\"plan_type\":\"free\"}}"), NOW);
        assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
        assertEquals(NOW + 24L * 3600 * 1000, v.resetAtMillis());
        assertTrue(v.requestFamily(), "about the requested model, not the whole account");
        assertNull(v.family());
    }

    @Test
    void usageNotIncludedInTheStreamIsAboutTheModelAndAUsedUpWindowAboutTheAccount() {
        AnswerVerdict notIncluded = CodexAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"status\":429,"
                + "\"error\":{\"type\":\"usage_not_included\",\"message\":\"upgrade to Pro\"}}"), NOW);
        assertEquals(AnswerClass.RATE_LIMITED, notIncluded.answerClass());
        assertTrue(notIncluded.requestFamily());
        AnswerVerdict limit = CodexAnswers.classify(429, Map.of(), utf8("{\"error\":{\"type\":\"usage_limit_reached\","
                + "\"resets_in_seconds\":60}}"), NOW);
        assertFalse(limit.requestFamily());
    }

    @Test
    void plain429HonoursRetryAfter() {
        AnswerVerdict v = CodexAnswers.classify(429, Map.of("retry-after", "17"),
                utf8("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}"), NOW);
        assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
        assertEquals(0, v.resetAtMillis());
        assertEquals(17, v.retryAfterSeconds());
    }

    @Test
    void authAndAccountStates() {
        assertEquals(AnswerClass.UNAUTHORIZED, CodexAnswers.classify(401, Map.of(), utf8("{\"error\":{\"message\":"
                + "\"Provided authentication token is expired. Please try signing in again.\",\"type\":null,"
                + "\"code\":\"token_expired\",\"param\":null},\"status\":401}"), NOW).answerClass());
        assertEquals(AnswerClass.ORG_DISABLED, CodexAnswers.classify(403, Map.of(), utf8("{\"detail\":{\"code\":"
                + "\"deactivated_workspace\"},\"error\":{\"message\":\"This workspace has been deactivated.\"}}"),
                NOW).answerClass());
        AnswerVerdict cloudflare = CodexAnswers.classify(403, Map.of(), utf8("<html><body>Just a moment...</body></html>"),
                NOW);
        assertEquals(AnswerClass.REQUEST_ERROR, cloudflare.answerClass());
        assertEquals("<html><body>Just a moment...</body></html>", cloudflare.message());
        assertEquals(AnswerClass.ORG_DISABLED, CodexAnswers.classify(402, Map.of(), null, NOW).answerClass());
    }

    @Test
    void overloadServerErrorsAndRequestErrors() {
        assertEquals(AnswerClass.OVERLOADED, CodexAnswers.classify(503, Map.of(), utf8("{\"error\":{\"message\":"
                + "\"Our servers are currently overloaded.\",\"type\":\"server_error\",\"code\":\"server_is_overloaded\"}}"),
                NOW).answerClass());
        assertEquals(AnswerClass.OVERLOADED, CodexAnswers.classify(500, Map.of(),
                utf8("{\"error\":{\"code\":\"slow_down\"}}"), NOW).answerClass());
        assertEquals(AnswerClass.SERVER_ERROR, CodexAnswers.classify(502, Map.of(), utf8("bad gateway"), NOW).answerClass());
        assertEquals(AnswerClass.UNREACHABLE, CodexAnswers.classify(504, Map.of(), null, NOW).answerClass());
        AnswerVerdict tooLong = CodexAnswers.classify(400, Map.of(), utf8("{\"error\":{\"message\":\"Your input exceeds"
                + " the context window of this model.\",\"type\":\"invalid_request_error\",\"param\":\"input\",\"code\":"
                + "\"context_length_exceeded\"}}"), NOW);
        assertEquals(AnswerClass.REQUEST_ERROR, tooLong.answerClass());
        assertFalse(tooLong.failover());
    }

    @Test
    void inStreamErrorEvent() {
        AnswerVerdict v = CodexAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"usage_limit_reached\",\"message\":\"The usage limit has been reached\",\"plan_type\":\"pro\","
                + "\"resets_at\":1764700000}}"), NOW);
        assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
        assertEquals(429, v.status());
        assertEquals(1_764_700_000_000L, v.resetAtMillis());
    }

    @Test
    void webSocketWrappedErrorIsJudgedLikeItsStatusWithItsHeaders() {
        AnswerVerdict v = CodexAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"status\":429,\"error\":{\"type\":"
                + "\"usage_limit_reached\",\"message\":\"You've hit your usage limit.\",\"resets_in_seconds\":3600},"
                + "\"headers\":{\"X-Codex-Primary-Used-Percent\":\"100\",\"x-codex-primary-window-minutes\":\"300\","
                + "\"x-codex-secondary-used-percent\":[\"22\"],\"x-codex-secondary-window-minutes\":\"10080\"}}"), NOW);
        assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
        assertEquals(NOW + 3_600_000, v.resetAtMillis());
        assertEquals(1.0, v.utilisation5h());
        assertEquals(0.22, v.utilisation7d(), 1e-9);
        AnswerVerdict unauthorized = CodexAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"status\":401,"
                + "\"error\":{\"message\":\"token expired\"}}"), NOW);
        assertEquals(AnswerClass.UNAUTHORIZED, unauthorized.answerClass());
    }

    @Test
    void responseFailedEvents() {
        AnswerVerdict overloaded = CodexAnswers.classifyStreamError(utf8("{\"type\":\"response.failed\",\"response\":"
                + "{\"status\":\"failed\",\"error\":{\"code\":\"server_is_overloaded\",\"message\":\"busy\"}}}"), NOW);
        assertEquals(AnswerClass.OVERLOADED, overloaded.answerClass());
        assertEquals(503, overloaded.status());
        assertEquals(AnswerClass.SERVER_ERROR, CodexAnswers.classifyStreamError(utf8("{\"type\":\"response.failed\","
                + "\"response\":{\"error\":{\"code\":\"server_error\",\"message\":\"An error occurred\"}}}"), NOW)
                .answerClass());
        assertNull(CodexAnswers.classifyStreamError(utf8("{\"type\":\"response.failed\",\"response\":{\"error\":"
                + "{\"code\":\"context_length_exceeded\",\"message\":\"Your input exceeds the context window\"}}}"), NOW));
    }

    @Test
    void streamErrorsThatSayNothingAboutTheAccount() {
        assertNull(CodexAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"status\":400,\"error\":{\"type\":"
                + "\"invalid_request_error\",\"code\":\"websocket_connection_limit_reached\",\"message\":\"Responses"
                + " websocket connection limit reached (60 minutes).\"}}"), NOW));
        assertNull(CodexAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"status\":400,\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"bad\"}}"), NOW));
        assertNull(CodexAnswers.classifyStreamError(utf8("{\"type\":\"response.completed\"}"), NOW));
        assertNull(CodexAnswers.classifyStreamError(utf8("not json"), NOW));
        assertNull(CodexAnswers.classifyStreamError(null, NOW));
    }

    @Test
    void healthHeaders() {
        assertTrue(CodexAnswers.isHealthHeader("x-codex-primary-used-percent"));
        assertTrue(CodexAnswers.isHealthHeader("x-codex-secondary-reset-at"));
        assertTrue(CodexAnswers.isHealthHeader("retry-after"));
        assertFalse(CodexAnswers.isHealthHeader("x-request-id"));
        assertFalse(CodexAnswers.isHealthHeader("x-ratelimit-remaining-tokens"));
    }
}
