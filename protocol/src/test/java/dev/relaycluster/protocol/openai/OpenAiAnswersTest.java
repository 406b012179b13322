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

class OpenAiAnswersTest {

    static final long NOW = 1_764_690_000_000L;

    @Test
    void successUtilisationIsTheFullerBudget() {
        AnswerVerdict v = OpenAiAnswers.classify(200, Map.of(
                "x-ratelimit-limit-requests", "5000",
                "x-ratelimit-remaining-requests", "4999",
                "x-ratelimit-reset-requests", "12ms",
                "x-ratelimit-limit-tokens", "800000",
                "x-ratelimit-remaining-tokens", "200000",
                "x-ratelimit-reset-tokens", "45s"), null, NOW);
        assertEquals(AnswerClass.SUCCESS, v.answerClass());
        assertEquals(0.75, v.utilisation5h(), 1e-9);
        assertEquals(-1, v.utilisation7d());
        assertEquals(0.75, v.utilisation(), 1e-9);
    }

    @Test
    void noRateLimitHeadersNoUtilisation() {
        assertEquals(-1, OpenAiAnswers.classify(200, Map.of(), null, NOW).utilisation());
    }

    @Test
    void rateLimitResetFromTheMessage() {
        AnswerVerdict v = OpenAiAnswers.classify(429, Map.of("retry-after", "12"), utf8("{\"error\":{\"message\":"
                + "\"Rate limit reached for gpt-5.1 in organization org-AAA on tokens per min (TPM): Limit 30000, Used"
                + " 22999, Requested 12528. Please try again in 11.054s. Visit https://platform.openai.com/account/"
                + "rate-limits to learn more.\",\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"), NOW);
        assertEquals(AnswerClass.RATE_LIMITED, v.answerClass());
        assertEquals(NOW + 11_054, v.resetAtMillis());
        assertEquals(12, v.retryAfterSeconds());
        assertTrue(v.failover());
    }

    @Test
    void rateLimitResetFromTheExhaustedDimensionsHeader() {
        AnswerVerdict v = OpenAiAnswers.classify(429, Map.of(
                "x-ratelimit-limit-requests", "10000",
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "6m0s",
                "x-ratelimit-limit-tokens", "2000000",
                "x-ratelimit-remaining-tokens", "1999000",
                "x-ratelimit-reset-tokens", "30ms"),
                utf8("{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}"), NOW);
        assertEquals(NOW + 360_000, v.resetAtMillis());
        assertEquals(1.0, v.utilisation5h());
    }

    @Test
    void rateLimitWithoutHintsLeavesTheResetToRetryAfter() {
        AnswerVerdict v = OpenAiAnswers.classify(429, Map.of("retry-after-ms", "1500"),
                utf8("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"),
                NOW);
        assertEquals(0, v.resetAtMillis());
        assertEquals(2, v.retryAfterSeconds());
    }

    @Test
    void insufficientQuotaBlocksTheAccount() {
        AnswerVerdict v = OpenAiAnswers.classify(429, Map.of(), utf8("{\"error\":{\"message\":\"You exceeded your"
                + " current quota, please check your plan and billing details.\",\"type\":\"insufficient_quota\","
                + "\"param\":null,\"code\":\"insufficient_quota\"}}"), NOW);
        assertEquals(AnswerClass.ORG_DISABLED, v.answerClass());
        assertEquals("You exceeded your current quota, please check your plan and billing details.", v.message());
    }

    @Test
    void otherStatuses() {
        assertEquals(AnswerClass.UNAUTHORIZED, OpenAiAnswers.classify(401, Map.of(), utf8("{\"error\":{\"message\":"
                + "\"Incorrect API key provided: sk-proj-****abcd.\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"invalid_api_key\"}}"), NOW).answerClass());
        assertEquals(AnswerClass.ORG_DISABLED, OpenAiAnswers.classify(403, Map.of(), utf8("{\"error\":{\"message\":"
                + "\"Your organization has been disabled.\",\"type\":\"invalid_request_error\",\"code\":"
                + "\"organization_deactivated\"}}"), NOW).answerClass());
        assertEquals(AnswerClass.REQUEST_ERROR, OpenAiAnswers.classify(403, Map.of(), utf8("{\"error\":{\"code\":"
                + "\"unsupported_country_region_territory\",\"message\":\"Country, region, or territory not supported\","
                + "\"param\":null,\"type\":\"request_forbidden\"}}"), NOW).answerClass());
        assertEquals(AnswerClass.OVERLOADED, OpenAiAnswers.classify(503, Map.of(), utf8("{\"error\":{\"message\":"
                + "\"The server is overloaded\",\"type\":\"server_error\",\"code\":\"server_is_overloaded\"}}"), NOW)
                .answerClass());
        assertEquals(AnswerClass.SERVER_ERROR, OpenAiAnswers.classify(503, Map.of(), utf8("{\"error\":{\"message\":"
                + "\"Service unavailable\",\"type\":\"server_error\"}}"), NOW).answerClass());
        assertEquals(AnswerClass.SERVER_ERROR, OpenAiAnswers.classify(500, Map.of(), utf8("{\"error\":{\"message\":"
                + "\"The server had an error while processing your request. Sorry about that!\",\"type\":"
                + "\"server_error\",\"param\":null,\"code\":null}}"), NOW).answerClass());
        assertEquals(AnswerClass.UNREACHABLE, OpenAiAnswers.classify(504, Map.of(), null, NOW).answerClass());
        assertEquals(AnswerClass.REQUEST_ERROR, OpenAiAnswers.classify(400, Map.of(), utf8("{\"error\":{\"message\":"
                + "\"Your input exceeds the context window of this model.\",\"type\":\"invalid_request_error\","
                + "\"code\":\"context_length_exceeded\"}}"), NOW).answerClass());
    }

    @Test
    void streamErrors() {
        AnswerVerdict limited = OpenAiAnswers.classifyStreamError(utf8("{\"type\":\"response.failed\",\"sequence_number\":3,"
                + "\"response\":{\"id\":\"resp_689b\",\"status\":\"failed\",\"error\":{\"code\":\"rate_limit_exceeded\","
                + "\"message\":\"Rate limit reached for gpt-5.1. Please try again in 28ms.\"},\"usage\":null}}"), NOW);
        assertEquals(AnswerClass.RATE_LIMITED, limited.answerClass());
        assertEquals(NOW + 28, limited.resetAtMillis());
        assertEquals(AnswerClass.ORG_DISABLED, OpenAiAnswers.classifyStreamError(utf8("{\"type\":\"response.failed\","
                + "\"response\":{\"error\":{\"code\":\"insufficient_quota\",\"message\":\"You exceeded your current"
                + " quota\"}}}"), NOW).answerClass());
        assertEquals(AnswerClass.RATE_LIMITED, OpenAiAnswers.classifyStreamError(utf8("{\"type\":\"error\",\"status\":"
                + "429,\"error\":{\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\",\"message\":\"slow\"},\"headers\":"
                + "{\"x-ratelimit-limit-tokens\":\"100\",\"x-ratelimit-remaining-tokens\":\"0\",\"x-ratelimit-reset-tokens\":"
                + "\"1m30s\"}}"), NOW).answerClass());
        assertNull(OpenAiAnswers.classifyStreamError(utf8("{\"type\":\"response.failed\",\"response\":{\"error\":"
                + "{\"code\":\"invalid_prompt\",\"message\":\"flagged\"}}}"), NOW));
    }

    @Test
    void healthHeaders() {
        assertTrue(OpenAiAnswers.isHealthHeader("x-ratelimit-reset-tokens"));
        assertTrue(OpenAiAnswers.isHealthHeader("retry-after-ms"));
        assertFalse(OpenAiAnswers.isHealthHeader("openai-processing-ms"));
    }
}
