package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.dialect.StreamErrorMarks;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.session.SessionKey;
import dev.relaycluster.protocol.session.SessionKeys;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonSkim;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The OpenAI Responses dialect (Codex CLI, the OpenAI SDKs' Responses API). Endpoints: "responses"
 * ({@code POST /responses}, streamed when the body says so) and "compact" ({@code POST /responses/compact},
 * never streamed); both generate. The session key comes from {@link SessionKeys#codex}.
 *
 * <p>Error names follow what api.openai.com sends where it is known, as {@code error.type} plus
 * {@code error.code}: 400/404/405/413 {@code invalid_request_error}; 401 {@code invalid_request_error} with
 * code {@code invalid_api_key} (OpenAI's real answer to a bad key); 402 {@code insufficient_quota} (code
 * too: OpenAI's billing error, which Codex reports as "quota exceeded" and does not retry); 500/502
 * {@code server_error}; 503 {@code server_error} with code {@code server_is_overloaded} (Codex reads that
 * code as "server overloaded"). Where OpenAI has no single name the relay uses its own: 403
 * {@code permission_error} (OpenAI varies: {@code invalid_request_error}, {@code request_forbidden}), 429
 * {@code rate_limit_error} with code {@code rate_limit_exceeded} (OpenAI's type there is the exhausted
 * dimension, "requests" or "tokens"; clients read only the status and the code), 504 {@code timeout}.
 *
 * <p>A broken stream ends with a {@code response.failed} event, not an {@code error} event: Codex's SSE
 * reader ignores {@code error} events (it would only see "stream closed before response.completed" and
 * retry blindly) but reads {@code response.failed}'s {@code response.error.code}: {@code insufficient_quota}
 * and {@code invalid_prompt} stop the turn with the message, {@code server_is_overloaded} reports
 * overload, anything else is retried a bounded number of times and then shown with the message
 * ({@code rate_limit_exceeded} with a "try again in" delay when the message has one).
 */
public final class ResponsesDialect implements Dialect {
    public static final ResponsesDialect INSTANCE = new ResponsesDialect();
    private static final byte[] ERROR = StreamErrorMarks.word("error");
    private static final byte[] FAILED = StreamErrorMarks.word("failed");

    /** The endpoint names {@link #read} accepts. */
    public static final String RESPONSES = "responses";
    public static final String COMPACT = "compact";

    @Override
    public DialectId id() {
        return DialectId.OPENAI_RESPONSES;
    }

    @Override
    public RequestView read(String endpoint, byte[] body, Function<String, String> header, String keyId) {
        boolean compact = COMPACT.equals(endpoint);
        if (!compact && !RESPONSES.equals(endpoint)) {
            throw new IllegalArgumentException("the Responses dialect has no endpoint " + endpoint);
        }
        // Codex names its session in a header: then routing needs only three fields of the body, read
        // without building its tree. Anything unusual (and every error) takes the full parse below.
        Optional<SessionKey> named = SessionKeys.codexHeader(header);
        if (named.isPresent()) {
            JsonSkim.Fields fields = JsonSkim.read(body, "max_output_tokens", true);
            if (fields != null) {
                return new RequestView(fields.model(), !compact && fields.stream(), fields.maxTokens(), true, named);
            }
        }
        ResponsesRequest request = ResponsesRequest.parse(body);
        return new RequestView(request.model(), !compact && request.stream(), request.maxOutputTokens(), true,
                SessionKeys.codex(header, request.json(), keyId));
    }

    @Override
    public UsageTap newTap() {
        return new ResponsesUsageTap();
    }

    /**
     * Whether the bytes spell what a tap needs to report an error: an error event is typed {@code error} or
     * {@code response.failed}. The {@code "error": null} key of every response object (response.created
     * carries one) is not such a type; the tap reads an {@code error} event only from JSON that parses whole.
     */
    @Override
    public boolean mayHoldStreamError(byte[] sse, int offset, int length) {
        return StreamErrorMarks.mayHold(sse, offset, length, FAILED)
                || StreamErrorMarks.mayHoldAsValue(sse, offset, length, ERROR);
    }

    @Override
    public MessageUsage wholeUsage(String endpoint, byte[] body) {
        return body == null ? new MessageUsage(null, TokenUsage.ZERO)
                : ResponsesUsage.fromResponse(Json.tryParse(body).orElse(null));
    }

    /** The {@code response} object of the stream's {@code response.completed} (or incomplete) event. */
    @Override
    public byte[] wholeFromStream(byte[] sse) {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>(decoder.feed(sse, 0, sse.length));
        events.addAll(decoder.finish());
        JsonNode whole = null;
        for (SseEvent e : events) {
            JsonNode data = Json.tryParse(e.data()).orElse(null);
            String type = data == null ? null : Json.text(data, "type");
            if ("response.completed".equals(type) || "response.incomplete".equals(type)) {
                whole = data.get("response");
            }
        }
        return whole == null || !whole.isObject() ? null : Json.write(whole);
    }

    @Override
    public String errorType(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, AUTHENTICATION, NOT_FOUND, METHOD_NOT_ALLOWED, TOO_LARGE -> "invalid_request_error";
            case BILLING -> "insufficient_quota";
            case PERMISSION -> "permission_error";
            case RATE_LIMITED -> "rate_limit_error";
            case API_ERROR, BAD_GATEWAY, OVERLOADED -> "server_error";
            case TIMEOUT -> "timeout";
        };
    }

    /** The {@code error.code} sent with {@code kind}, or null when OpenAI sends none. */
    public String errorCode(ErrorKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "invalid_api_key";
            case BILLING -> "insufficient_quota";
            case RATE_LIMITED -> "rate_limit_exceeded";
            case OVERLOADED -> "server_is_overloaded";
            default -> null;
        };
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
        return OpenAiErrors.body(errorType(kind), message, errorCode(kind));
    }

    /**
     * {@code event: response.failed} whose {@code response.error.code} is the kind's code, else
     * {@code invalid_prompt} for request errors (Codex stops with the message) and the error type otherwise.
     */
    @Override
    public byte[] streamErrorEvent(ErrorKind kind, String message) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("type", "response.failed");
        ObjectNode response = event.putObject("response");
        response.put("object", "response");
        response.put("status", "failed");
        ObjectNode error = response.putObject("error");
        error.put("code", streamErrorCode(kind));
        error.put("message", message);
        response.putNull("incomplete_details");
        response.putArray("output");
        response.putNull("usage");
        return ("event: response.failed\ndata: " + new String(Json.write(event), StandardCharsets.UTF_8) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private String streamErrorCode(ErrorKind kind) {
        String code = errorCode(kind);
        if (code != null) {
            return code;
        }
        return switch (kind) {
            case INVALID_REQUEST, TOO_LARGE -> "invalid_prompt";
            default -> errorType(kind);
        };
    }
}
