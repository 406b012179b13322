package dev.relaycluster.protocol.openai;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.Map;

/**
 * Reads an answer of an OpenAI API-key account ({@code api.openai.com/v1}) into an {@link AnswerVerdict}.
 * Header names must be lower-case. Pure.
 * <ul>
 *   <li>Utilisation: {@code 1 - remaining/limit} of {@code x-ratelimit-*-requests} and
 *       {@code x-ratelimit-*-tokens}, the fuller of the two, reported in the verdict's short-window slot
 *       ({@code utilisation5h}; OpenAI's windows are per minute or per day, there is no weekly one).</li>
 *   <li>429 {@code insufficient_quota}: ORG_DISABLED. The account has no credit left and stays unusable
 *       until someone pays; the cooldown rules block such an account until an admin clears it, which is
 *       the step that follows paying. A timed cooldown would only re-try a dead account now and then.</li>
 *   <li>Other 429 ({@code rate_limit_exceeded}): RATE_LIMITED, reset from the message's "try again in …",
 *       else the {@code x-ratelimit-reset-*} of the exhausted dimension (Go durations such as
 *       {@code 6m0s}); {@code retry-after} / {@code retry-after-ms} go to the verdict's retry-after.</li>
 *   <li>401: UNAUTHORIZED. 403 whose body says the account or organisation is deactivated or disabled:
 *       ORG_DISABLED; other 4xx: REQUEST_ERROR.</li>
 *   <li>{@code server_is_overloaded} / {@code slow_down} (any 5xx) and 529: OVERLOADED; 504: UNREACHABLE;
 *       other 5xx: SERVER_ERROR.</li>
 * </ul>
 */
public final class OpenAiAnswers {

    static final String PREFIX = "x-ratelimit-";

    private OpenAiAnswers() {
    }

    /** Classifies one answer. {@code body} may be null or empty. */
    public static AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
        OpenAiErrorBody error = OpenAiErrorBody.parse(body);
        long retryAfter = OpenAiDuration.retryAfterSeconds(headers, nowMillis);
        AnswerClass answerClass;
        long resetAt = 0;
        if (status >= 200 && status < 300) {
            answerClass = AnswerClass.SUCCESS;
        } else if (error.is("insufficient_quota")) {
            answerClass = AnswerClass.ORG_DISABLED;
        } else if (status == 429) {
            answerClass = AnswerClass.RATE_LIMITED;
            resetAt = resetAtMillis(headers, error, nowMillis);
        } else if (status == 401) {
            answerClass = AnswerClass.UNAUTHORIZED;
        } else if (status == 403 && error.saysDisabled()) {
            answerClass = AnswerClass.ORG_DISABLED;
        } else if (status == 529 || (status >= 500 && error.isOverload())) {
            answerClass = AnswerClass.OVERLOADED;
        } else if (status == 504) {
            answerClass = AnswerClass.UNREACHABLE;
        } else if (status >= 500) {
            answerClass = AnswerClass.SERVER_ERROR;
        } else {
            answerClass = AnswerClass.REQUEST_ERROR;
        }
        return new AnswerVerdict(answerClass, status, null, resetAt, retryAfter, utilisation(headers), -1,
                error.summary());
    }

    /**
     * The verdict a {@code response.failed} or {@code error} event stands for (a WebSocket error with
     * {@code status} is judged like that HTTP answer); null when it says nothing about the account.
     */
    public static AnswerVerdict classifyStreamError(byte[] errorEventJson, long nowMillis) {
        return OpenAiStreamErrors.classify(errorEventJson, nowMillis, OpenAiAnswers::classify, error -> false,
                error -> error.is("usage_not_included") || error.is("usage_limit_reached") ? 0
                        : error.inferredStatus());
    }

    /** Whether {@link #classify} reads this (lower-case) header: {@code x-ratelimit-*} and the retry-after pair. */
    public static boolean isHealthHeader(String lowerName) {
        return lowerName.startsWith(PREFIX) || lowerName.equals("retry-after") || lowerName.equals("retry-after-ms");
    }

    /** The fuller of the request and token budgets as a fraction 0..1, -1 when no pair was sent. */
    public static double utilisation(Map<String, String> headers) {
        return Math.max(used(headers, "requests"), used(headers, "tokens"));
    }

    private static double used(Map<String, String> headers, String dimension) {
        double limit = number(headers.get(PREFIX + "limit-" + dimension));
        double remaining = number(headers.get(PREFIX + "remaining-" + dimension));
        if (limit <= 0 || remaining < 0) {
            return -1;
        }
        return Math.max(0, Math.min(1.0, 1.0 - remaining / limit));
    }

    private static long resetAtMillis(Map<String, String> headers, OpenAiErrorBody error, long nowMillis) {
        long hinted = error.tryAgainInMillis();
        if (hinted >= 0) {
            return nowMillis + hinted;
        }
        long fromBody = error.resetAtMillis(nowMillis);
        if (fromBody > 0) {
            return fromBody;
        }
        long latest = -1;
        for (String dimension : new String[] {"requests", "tokens"}) {
            if (number(headers.get(PREFIX + "remaining-" + dimension)) == 0) {
                latest = Math.max(latest, OpenAiDuration.millis(headers.get(PREFIX + "reset-" + dimension)));
            }
        }
        return latest >= 0 ? nowMillis + latest : 0;
    }

    private static double number(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
