package dev.relaycluster.protocol.openai;

import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.dialect.StreamErrorMarks;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.session.SessionKeys;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The OpenAI Chat Completions dialect (the OpenAI SDKs' {@code chat.completions}, and most tools that say
 * "OpenAI-compatible"). One endpoint, "chat/completions" ({@code POST /v1/chat/completions}, streamed when
 * the body says so); it generates. The most output tokens are {@code max_completion_tokens}, else the older
 * {@code max_tokens}. The session key comes from {@link SessionKeys#chat}: {@code prompt_cache_key}, else a
 * hash of the system and developer messages and the first user message, salted with the key id.
 *
 * <p>Whole errors are the Responses dialect's ({@link ResponsesDialect#errorType}, {@code error.code}): the
 * two are one API with one error shape. A broken stream ends as OpenAI ends one, with the error object as a
 * data line ({@code data: {"error":{…}}}) and no {@code [DONE]}: the OpenAI SDKs raise it as an API error.
 */
public final class ChatDialect implements Dialect {
    public static final ChatDialect INSTANCE = new ChatDialect();
    private static final byte[][] ERROR_WORDS = {StreamErrorMarks.word("error")};

    /** The endpoint name {@link #read} accepts. */
    public static final String COMPLETIONS = "chat/completions";

    private static final ResponsesDialect ERRORS = ResponsesDialect.INSTANCE;

    @Override
    public DialectId id() {
        return DialectId.OPENAI_CHAT;
    }

    @Override
    public RequestView read(String endpoint, byte[] body, Function<String, String> header, String keyId) {
        if (!COMPLETIONS.equals(endpoint)) {
            throw new IllegalArgumentException("the Chat Completions dialect has no endpoint " + endpoint);
        }
        ChatRequest request = ChatRequest.parse(body);
        return new RequestView(request.model(), request.stream(), request.maxTokens(), true,
                SessionKeys.chat(header, request.json(), keyId));
    }

    @Override
    public UsageTap newTap() {
        return new ChatUsageTap();
    }

    /** Whether the bytes spell what a tap needs to report an error: an error chunk has an {@code error} object. */
    @Override
    public boolean mayHoldStreamError(byte[] sse, int offset, int length) {
        return StreamErrorMarks.mayHold(sse, offset, length, ERROR_WORDS);
    }

    @Override
    public MessageUsage wholeUsage(String endpoint, byte[] body) {
        return body == null ? new MessageUsage(null, TokenUsage.ZERO)
                : ChatUsage.fromCompletion(Json.tryParse(body).orElse(null));
    }

    @Override
    public String errorType(ErrorKind kind) {
        return ERRORS.errorType(kind);
    }

    /** The {@code error.code} sent with {@code kind}, or null when OpenAI sends none. */
    public String errorCode(ErrorKind kind) {
        return ERRORS.errorCode(kind);
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
        return ERRORS.errorBody(kind, message);
    }

    /** {@code data: {"error":{"message","type","param","code"}}} and a blank line. */
    @Override
    public byte[] streamErrorEvent(ErrorKind kind, String message) {
        return ("data: " + new String(errorBody(kind, message), StandardCharsets.UTF_8) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
