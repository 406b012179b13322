package dev.relaycluster.protocol.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.protocol.util.Json;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives a session key from a request: an explicit id sent by the client when there is one, else a
 * SHA-256 over the API key id and the request's cacheable prefix (system text and first user turn).
 * {@code header} maps a lower-case header name to its value or null; {@code body} may be null.
 */
public final class SessionKeys {

    private static final String BILLING_HEADER = "x-anthropic-billing-header";
    private static final Pattern LEGACY_USER_ID = Pattern.compile(
            "user_[0-9a-f]{64}_account_.*_session_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final String[] CODEX_HEADERS = {"session-id", "session_id", "thread-id"};

    private SessionKeys() {
    }

    /**
     * Anthropic Messages: header {@code x-claude-code-session-id}, then {@code metadata.user_id} as JSON
     * with {@code session_id}, then its legacy {@code user_<hex>_account_<..>_session_<uuid>} form, then a
     * prefix hash of {@code system} (without Claude Code's per-request billing-header block) and the first
     * user message.
     */
    public static Optional<SessionKey> claude(Function<String, String> header, JsonNode body, String keyId) {
        Optional<SessionKey> fromHeader = claudeHeader(header);
        if (fromHeader.isPresent()) {
            return fromHeader;
        }
        JsonNode root = orMissing(body);
        JsonNode userId = root.path("metadata").path("user_id");
        if (userId.isTextual()) {
            String raw = userId.textValue();
            if (raw.strip().startsWith("{")) {
                String sessionId = Json.tryParse(raw).map(n -> Json.text(n, "session_id")).orElse(null);
                if (notBlank(sessionId)) {
                    return Optional.of(new SessionKey(sessionId, SessionKeySource.CLAUDE_METADATA_JSON));
                }
            }
            Matcher legacy = LEGACY_USER_ID.matcher(raw);
            if (legacy.matches()) {
                return Optional.of(new SessionKey(legacy.group(1), SessionKeySource.CLAUDE_METADATA_LEGACY));
            }
        }
        return prefixHash(keyId, claudeSystemText(root.path("system")), firstUserText(root.path("messages")));
    }

    /**
     * OpenAI Responses (Codex): header {@code session-id}, {@code session_id} or {@code thread-id}, then
     * body {@code prompt_cache_key}, then a prefix hash of {@code instructions} and the first input item.
     */
    public static Optional<SessionKey> codex(Function<String, String> header, JsonNode body, String keyId) {
        Optional<SessionKey> fromHeader = codexHeader(header);
        if (fromHeader.isPresent()) {
            return fromHeader;
        }
        JsonNode root = orMissing(body);
        String cacheKey = Json.text(root, "prompt_cache_key");
        if (notBlank(cacheKey)) {
            return Optional.of(new SessionKey(cacheKey, SessionKeySource.CODEX_PROMPT_CACHE_KEY));
        }
        String instructions = root.path("instructions").isTextual() ? root.path("instructions").textValue() : "";
        return prefixHash(keyId, instructions, firstInputText(root.path("input")));
    }

    /**
     * Claude Code's {@code x-claude-code-session-id}, the first source {@link #claude} looks at: when it is
     * there the body is not needed for the session key.
     */
    public static Optional<SessionKey> claudeHeader(Function<String, String> header) {
        String value = header.apply("x-claude-code-session-id");
        return notBlank(value) ? Optional.of(new SessionKey(value, SessionKeySource.CLAUDE_CODE_HEADER))
                : Optional.empty();
    }

    /**
     * Codex's {@code session-id}, {@code session_id} or {@code thread-id} header, the first source
     * {@link #codex} looks at: when one is there the body is not needed for the session key.
     */
    public static Optional<SessionKey> codexHeader(Function<String, String> header) {
        for (String name : CODEX_HEADERS) {
            String value = header.apply(name);
            if (notBlank(value)) {
                return Optional.of(new SessionKey(value, SessionKeySource.CODEX_HEADER));
            }
        }
        return Optional.empty();
    }

    /**
     * Gemini: {@code request.session_id} of a Code Assist body, then a prefix hash of the
     * {@code systemInstruction} parts and the parts of {@code contents[0]} (inside {@code request} when
     * present). {@code header} is not consulted; it keeps the three methods interchangeable.
     */
    public static Optional<SessionKey> gemini(Function<String, String> header, JsonNode body, String keyId) {
        JsonNode outer = orMissing(body);
        JsonNode request = outer.path("request");
        String sessionId = Json.text(request, "session_id");
        if (notBlank(sessionId)) {
            return Optional.of(new SessionKey(sessionId, SessionKeySource.GEMINI_CODE_ASSIST));
        }
        JsonNode root = request.isObject() ? request : outer;
        JsonNode system = root.has("systemInstruction") ? root.path("systemInstruction") : root.path("system_instruction");
        return prefixHash(keyId, partsText(system.path("parts")), partsText(root.path("contents").path(0).path("parts")));
    }

    /**
     * OpenAI Chat Completions: body {@code prompt_cache_key}, then a prefix hash of the {@code system} and
     * {@code developer} messages' text and the first {@code user} message's text. {@code user} names an end
     * user, not a conversation, and is not consulted; neither is {@code header}.
     */
    public static Optional<SessionKey> chat(Function<String, String> header, JsonNode body, String keyId) {
        JsonNode root = orMissing(body);
        String cacheKey = Json.text(root, "prompt_cache_key");
        if (notBlank(cacheKey)) {
            return Optional.of(new SessionKey(cacheKey, SessionKeySource.CHAT_PROMPT_CACHE_KEY));
        }
        StringBuilder system = new StringBuilder();
        String firstUser = null;
        for (JsonNode message : array(root.path("messages"))) {
            String role = Json.text(message, "role");
            if ("system".equals(role) || "developer".equals(role)) {
                system.append(chatContentText(message.path("content")));
            } else if ("user".equals(role) && firstUser == null) {
                firstUser = chatContentText(message.path("content"));
            }
        }
        return prefixHash(keyId, system.toString(), firstUser == null ? "" : firstUser);
    }

    /** A Chat message's text: the content string, or its {@code text} parts joined. */
    private static String chatContentText(JsonNode content) {
        return content.isTextual() ? content.textValue() : partsText(content);
    }

    private static Optional<SessionKey> prefixHash(String keyId, String system, String firstTurn) {
        if (system.isEmpty() && firstTurn.isEmpty()) {
            return Optional.empty();
        }
        String material = (keyId == null ? "" : keyId) + "\n" + system + "\n" + firstTurn;
        return Optional.of(new SessionKey(Hashing.sha256Hex(material), SessionKeySource.PREFIX_HASH));
    }

    private static String claudeSystemText(JsonNode system) {
        if (system.isTextual()) {
            return system.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : array(system)) {
            String t = textBlock(block);
            if (t != null && !t.startsWith(BILLING_HEADER)) {
                text.append(t);
            }
        }
        return text.toString();
    }

    private static String firstUserText(JsonNode messages) {
        for (JsonNode message : array(messages)) {
            if ("user".equals(Json.text(message, "role"))) {
                JsonNode content = message.path("content");
                if (content.isTextual()) {
                    return content.textValue();
                }
                StringBuilder text = new StringBuilder();
                for (JsonNode block : array(content)) {
                    String t = textBlock(block);
                    if (t != null) {
                        text.append(t);
                    }
                }
                return text.toString();
            }
        }
        return "";
    }

    private static String textBlock(JsonNode block) {
        return "text".equals(Json.text(block, "type")) ? Json.text(block, "text") : null;
    }

    private static String firstInputText(JsonNode input) {
        if (input.isTextual()) {
            return input.textValue();
        }
        JsonNode first = input.path(0);
        if (first.isTextual()) {
            return first.textValue();
        }
        JsonNode content = first.path("content");
        return content.isTextual() ? content.textValue() : partsText(content);
    }

    private static String partsText(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : array(parts)) {
            String t = Json.text(part, "text");
            if (t != null) {
                text.append(t);
            }
        }
        return text.toString();
    }

    private static Iterable<JsonNode> array(JsonNode node) {
        return node.isArray() ? node : List.of();
    }

    private static JsonNode orMissing(JsonNode body) {
        return body == null ? MissingNode.getInstance() : body;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
