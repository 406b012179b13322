package dev.relaycluster.protocol.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SessionKeysTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Function<String, String> NO_HEADERS = name -> null;
    private static final String SESSION = "8a7c5d1e-2b3f-4c9a-9e0d-1f2a3b4c5d6e";
    private static final String DEVICE = "3f1c9d2e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e";

    /** A Claude Code request body; {@code billing} and {@code later} vary per request, the rest is the session prefix. */
    private static String claudeCodeBody(String userId, String billing, String later) {
        return "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":32000,\"stream\":true,"
                + (userId == null ? "" : "\"metadata\":{\"user_id\":" + userId + "},")
                + "\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc_version=2.1.197.abc; cc_entrypoint=cli; "
                + billing + ";\"},"
                + "{\"type\":\"text\",\"text\":\"You are Claude Code, Anthropic's official CLI for Claude.\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"<system-reminder>ctx</system-reminder>\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}},"
                + "{\"type\":\"text\",\"text\":\"Fix the failing test in parser.py\",\"cache_control\":{\"type\":\"ephemeral\"}}]}"
                + later + "]}";
    }

    private static final String CLAUDE_PREFIX_HASH = "3d90735395be56ee6c35d2b9af57b57889f2e89054513aafa8fafabba41d0224";

    @Test
    void claudeHeaderWinsOverMetadata() {
        String userId = json("{\"device_id\":\"" + DEVICE + "\",\"account_uuid\":\"\",\"session_id\":\"" + SESSION + "\"}");
        JsonNode body = parse(claudeCodeBody(userId, "cch=1a2b3", ""));
        assertEquals(Optional.of(new SessionKey("hdr-session", SessionKeySource.CLAUDE_CODE_HEADER)),
                SessionKeys.claude(headers(Map.of("x-claude-code-session-id", "hdr-session")), body, "key_1"));
    }

    @Test
    void claudeBlankHeaderIsIgnored() {
        JsonNode body = parse(claudeCodeBody(null, "cch=1a2b3", ""));
        assertEquals(Optional.of(new SessionKey(CLAUDE_PREFIX_HASH, SessionKeySource.PREFIX_HASH)),
                SessionKeys.claude(headers(Map.of("x-claude-code-session-id", "  ")), body, "key_1"));
    }

    @Test
    void claudeMetadataJsonForm() {
        String userId = json("{\"device_id\":\"" + DEVICE + "\",\"account_uuid\":\"\",\"session_id\":\"" + SESSION + "\"}");
        assertEquals(Optional.of(new SessionKey(SESSION, SessionKeySource.CLAUDE_METADATA_JSON)),
                SessionKeys.claude(NO_HEADERS, parse(claudeCodeBody(userId, "cch=1a2b3", "")), "key_1"));
    }

    @Test
    void claudeMetadataJsonWithoutSessionFallsBackToPrefixHash() {
        String userId = json("{\"device_id\":\"" + DEVICE + "\",\"session_id\":\"\"}");
        assertEquals(Optional.of(new SessionKey(CLAUDE_PREFIX_HASH, SessionKeySource.PREFIX_HASH)),
                SessionKeys.claude(NO_HEADERS, parse(claudeCodeBody(userId, "cch=1a2b3", "")), "key_1"));
    }

    @Test
    void claudeMetadataLegacyForm() {
        String withAccount = "\"user_" + DEVICE + "_account_0a1b2c3d-1111-2222-3333-444455556666_session_" + SESSION + "\"";
        String noAccount = "\"user_" + DEVICE + "_account__session_" + SESSION + "\"";
        for (String userId : new String[] {withAccount, noAccount}) {
            assertEquals(Optional.of(new SessionKey(SESSION, SessionKeySource.CLAUDE_METADATA_LEGACY)),
                    SessionKeys.claude(NO_HEADERS, parse(claudeCodeBody(userId, "cch=1a2b3", "")), "key_1"));
        }
    }

    @Test
    void claudeMalformedLegacyUserIdFallsBackToPrefixHash() {
        String shortDevice = "\"user_abc_account__session_" + SESSION + "\"";
        assertEquals(SessionKeySource.PREFIX_HASH,
                SessionKeys.claude(NO_HEADERS, parse(claudeCodeBody(shortDevice, "cch=1", "")), "key_1").orElseThrow().source());
    }

    @Test
    void claudePrefixHashIgnoresBillingHeaderAndLaterMessages() {
        JsonNode first = parse(claudeCodeBody(null, "cch=1a2b3", ""));
        JsonNode second = parse(claudeCodeBody(null, "cch=9f8e7",
                ",{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Done.\"}]},"
                        + "{\"role\":\"user\",\"content\":\"thanks\"}"));
        Optional<SessionKey> a = SessionKeys.claude(NO_HEADERS, first, "key_1");
        assertEquals(Optional.of(new SessionKey(CLAUDE_PREFIX_HASH, SessionKeySource.PREFIX_HASH)), a);
        assertEquals(a, SessionKeys.claude(NO_HEADERS, second, "key_1"));
        assertNotEquals(a, SessionKeys.claude(NO_HEADERS, first, "key_2"));
    }

    @Test
    void claudePrefixHashOfStringSystemAndContent() {
        JsonNode body = parse("{\"system\":\"Be brief.\",\"messages\":[{\"role\":\"assistant\",\"content\":\"prefill?\"},"
                + "{\"role\":\"user\",\"content\":\"h\u00e9llo\"}]}");
        assertEquals(Optional.of(new SessionKey("40d5150e08e1a0bc1d3e3a296e9ea1a04dc7d9140593380d2ee45cda06655a5e",
                SessionKeySource.PREFIX_HASH)), SessionKeys.claude(NO_HEADERS, body, "key_1"));
    }

    @Test
    void claudeWithoutAnyTextHasNoKey() {
        assertEquals(Optional.empty(), SessionKeys.claude(NO_HEADERS,
                parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]}"), "key_1"));
        assertEquals(Optional.empty(), SessionKeys.claude(NO_HEADERS,
                parse("{\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cch=1;\"}],\"messages\":[]}"), "k"));
        assertEquals(Optional.empty(), SessionKeys.claude(NO_HEADERS, null, "key_1"));
    }

    @Test
    void codexHeadersInOrder() {
        JsonNode body = parse("{\"prompt_cache_key\":\"pck\",\"instructions\":\"x\"}");
        assertEquals(Optional.of(new SessionKey("s1", SessionKeySource.CODEX_HEADER)), SessionKeys.codex(
                headers(Map.of("session-id", "s1", "session_id", "s2", "thread-id", "t")), body, "key_9"));
        assertEquals(Optional.of(new SessionKey("s2", SessionKeySource.CODEX_HEADER)), SessionKeys.codex(
                headers(Map.of("session_id", "s2", "thread-id", "t")), body, "key_9"));
        assertEquals(Optional.of(new SessionKey("t", SessionKeySource.CODEX_HEADER)), SessionKeys.codex(
                headers(Map.of("thread-id", "t")), body, "key_9"));
    }

    @Test
    void codexPromptCacheKey() {
        JsonNode body = parse("{\"model\":\"gpt-5-codex\",\"prompt_cache_key\":\"0199a1b2-c3d4\",\"instructions\":\"x\"}");
        assertEquals(Optional.of(new SessionKey("0199a1b2-c3d4", SessionKeySource.CODEX_PROMPT_CACHE_KEY)),
                SessionKeys.codex(NO_HEADERS, body, "key_9"));
    }

    @Test
    void codexPrefixHashOfInstructionsAndFirstInputItem() {
        JsonNode body = parse("{\"model\":\"gpt-5-codex\",\"instructions\":\"You are Codex.\",\"input\":["
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"<environment_context>\"},"
                + "{\"type\":\"input_text\",\"text\":\"cwd=/repo</environment_context>\"}]},"
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"later\"}]}]}");
        assertEquals(Optional.of(new SessionKey("d93d929ed332ea3a85812d21d23da4f5088d94cacae9ffafd8d8cf89343a5824",
                SessionKeySource.PREFIX_HASH)), SessionKeys.codex(NO_HEADERS, body, "key_9"));
    }

    @Test
    void codexPrefixHashOfStringInput() {
        assertEquals(Optional.of(new SessionKey("dc9de8c98bc5c91c7e0e3925be875ec1f02e80b5f9dde6fe0efd0a27a34c9a40",
                SessionKeySource.PREFIX_HASH)), SessionKeys.codex(NO_HEADERS, parse("{\"input\":\"list files\"}"), "key_9"));
        assertEquals(Optional.empty(), SessionKeys.codex(NO_HEADERS, parse("{\"input\":[]}"), "key_9"));
    }

    @Test
    void geminiCodeAssistSessionId() {
        JsonNode body = parse("{\"model\":\"gemini-2.5-pro\",\"project\":\"p-123\",\"user_prompt_id\":\"u-1\","
                + "\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"session_id\":\"g-session-1\"}}");
        assertEquals(Optional.of(new SessionKey("g-session-1", SessionKeySource.GEMINI_CODE_ASSIST)),
                SessionKeys.gemini(NO_HEADERS, body, "key_g"));
    }

    @Test
    void geminiPrefixHashInsideRequestAndPlain() {
        JsonNode codeAssist = parse("{\"model\":\"gemini-2.5-pro\",\"request\":{\"systemInstruction\":{\"parts\":["
                + "{\"text\":\"You are \"},{\"text\":\"Gemini CLI.\"}]},\"contents\":[{\"role\":\"user\",\"parts\":["
                + "{\"text\":\"Explain \"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AA\"}},{\"text\":\"this repo.\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"later\"}]}]}}");
        assertEquals(Optional.of(new SessionKey("1251f17725a34396f25a9eef318a0970748b5655d47e77313c905ea15f708118",
                SessionKeySource.PREFIX_HASH)), SessionKeys.gemini(NO_HEADERS, codeAssist, "key_g"));
        JsonNode plain = parse("{\"contents\":[{\"parts\":[{\"text\":\"Hi there\"}]}]}");
        assertEquals(Optional.of(new SessionKey("c9325d621fc51d9d7a24e003561e7b1b1ccca5f31f5970b2438ef5de6e49e960",
                SessionKeySource.PREFIX_HASH)), SessionKeys.gemini(NO_HEADERS, plain, "key_g"));
        assertEquals(Optional.empty(), SessionKeys.gemini(NO_HEADERS, parse("{\"contents\":[]}"), "key_g"));
    }

    private static Function<String, String> headers(Map<String, String> values) {
        return values::get;
    }

    private static String json(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
