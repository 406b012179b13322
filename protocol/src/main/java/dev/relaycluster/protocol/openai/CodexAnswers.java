package dev.relaycluster.protocol.openai;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.Map;

/**
 * Reads an answer of a ChatGPT "Codex OAuth" account ({@code chatgpt.com/backend-api/codex}) into an
 * {@link AnswerVerdict}: status, the {@code x-codex-*} window headers, {@code retry-after}, and the error
 * body. Header names must be lower-case. Pure.
 * <ul>
 *   <li>2xx: SUCCESS, with the windows' use ({@link CodexWindows}: the 5-hour slot gets the window of at
 *       most 24 h, the weekly slot the longer one).</li>
 *   <li>{@code usage_limit_reached} (error type or code; HTTP 429 or in-stream): RATE_LIMITED until
 *       {@code resets_at}, else now + {@code resets_in_seconds}, else the reset of the used-up window.</li>
 *   <li>{@code usage_not_included} (the plan does not include the requested model, or Codex at all; Codex
 *       sends it as a 429 too): RATE_LIMITED with a reset 24 h from now, about the request's model only
 *       ({@link AnswerVerdict#requestFamily()}: the platform names each model its own family), so failover
 *       moves on, the account keeps serving its other models, and the model is tried on it again a day later
 *       (the cooldown rules may cap that at their maximum rate-limit pause). It is not ORG_DISABLED, because a
 *       plan upgrade fixes it without anyone unblocking the account.</li>
 *   <li>Any other 429: RATE_LIMITED (reset from the body when it has one, else {@code retry-after}).</li>
 *   <li>401: UNAUTHORIZED. 402, and 403 whose body says the account or workspace is deactivated or
 *       disabled: ORG_DISABLED. Other 403 (and other 4xx, such as 400 {@code context_length_exceeded}):
 *       REQUEST_ERROR.</li>
 *   <li>{@code server_is_overloaded} / {@code slow_down} (any 5xx) and 529: OVERLOADED; 504: UNREACHABLE;
 *       other 5xx: SERVER_ERROR.</li>
 * </ul>
 */
public final class CodexAnswers {

    /** How long an account whose plan does not include Codex is left alone. */
    public static final long USAGE_NOT_INCLUDED_PAUSE_MILLIS = 24L * 60 * 60 * 1000;

    private CodexAnswers() {
    }

    /** Classifies one answer. {@code body} may be null or empty. */
    public static AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
        CodexWindows windows = CodexWindows.from(headers, nowMillis);
        OpenAiErrorBody error = OpenAiErrorBody.parse(body);
        long retryAfter = OpenAiDuration.retryAfterSeconds(headers, nowMillis);
        AnswerClass answerClass;
        long resetAt = 0;
        boolean aboutTheModel = false;
        if (status >= 200 && status < 300) {
            answerClass = AnswerClass.SUCCESS;
        } else if (error.is("usage_not_included")) {
            answerClass = AnswerClass.RATE_LIMITED;
            resetAt = nowMillis + USAGE_NOT_INCLUDED_PAUSE_MILLIS;
            aboutTheModel = true;
        } else if (status == 429 || error.is("usage_limit_reached")) {
            answerClass = AnswerClass.RATE_LIMITED;
            resetAt = error.resetAtMillis(nowMillis);
            if (resetAt == 0) {
                resetAt = Math.max(0, windows.exhaustedResetAtMillis());
            }
        } else if (status == 401) {
            answerClass = AnswerClass.UNAUTHORIZED;
        } else if (status == 402 || (status == 403 && error.saysDisabled())) {
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
        return new AnswerVerdict(answerClass, status, null, resetAt, retryAfter, windows.shortWindowFraction(),
                windows.longWindowFraction(), error.summary(), aboutTheModel);
    }

    /**
     * The verdict an in-stream error stands for: an {@code error} event ({@code {"type":"error","error":{…}}}),
     * the WebSocket form carrying {@code status} and {@code headers} (judged exactly like an HTTP answer), or
     * a {@code response.failed} event. Null when the event is none of these or says nothing about the
     * account (a request error such as {@code context_length_exceeded}, or the WebSocket connection's
     * {@code websocket_connection_limit_reached}).
     */
    public static AnswerVerdict classifyStreamError(byte[] errorEventJson, long nowMillis) {
        return OpenAiStreamErrors.classify(errorEventJson, nowMillis, CodexAnswers::classify,
                error -> error.is("websocket_connection_limit_reached"), OpenAiErrorBody::inferredStatus);
    }

    /** Whether {@link #classify} reads this (lower-case) header: {@code x-codex-*} and the retry-after pair. */
    public static boolean isHealthHeader(String lowerName) {
        return lowerName.startsWith("x-codex-") || lowerName.equals("retry-after")
                || lowerName.equals("retry-after-ms");
    }

    /** The usage windows the headers report, for the admin view. */
    public static CodexWindows windows(Map<String, String> headers, long nowMillis) {
        return CodexWindows.from(headers, nowMillis);
    }
}
