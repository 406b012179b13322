package dev.relaycluster.protocol.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodexTokensTest {

    static final long NOW = 1_764_690_000_000L;
    static final String ID_TOKEN = CodexIdTokenTest.jwt(CodexIdTokenTest.CLAIMS);
    static final String ACCESS = CodexIdTokenTest.jwt("{\"exp\":1765554000,\"https://api.openai.com/auth\":"
        + "{\"chatgpt_account_id\":\"5b2c3f3e-8e4c-4d0a-9a53-1d2e3f4a5b6c\"}}");

    @Test
    void tokenEndpointAnswer() {
        CodexTokens t = CodexTokens.parse(utf8("{\"id_token\":\"" + ID_TOKEN + "\",\"access_token\":\"" + ACCESS
            + "\",\"refresh_token\":\"rt_Abc123.def\",\"expires_in\":864000,\"scope\":\"openid profile email"
            + " offline_access\",\"token_type\":\"bearer\"}"), NOW);
        assertEquals(new CodexTokens(ID_TOKEN, ACCESS, "rt_Abc123.def", NOW + 864_000_000L,
            "5b2c3f3e-8e4c-4d0a-9a53-1d2e3f4a5b6c"), t);
        assertEquals("plus", t.idClaims().chatgptPlanType());
    }

    @Test
    void withoutExpiresInTheAccessTokensExpIsUsed() {
        CodexTokens t = CodexTokens.parse(utf8("{\"access_token\":\"" + ACCESS + "\"}"), NOW);
        assertEquals(1_765_554_000_000L, t.expiresAt());
        assertNull(t.idToken());
        assertNull(t.refreshToken());
        assertNull(t.accountId());
        assertEquals(0, CodexTokens.parse(utf8("{\"access_token\":\"opaque\"}"), NOW).expiresAt());
    }

    @Test
    void refreshAnswerKeepsWhatItOmits() {
        CodexTokens before = new CodexTokens(ID_TOKEN, "old", "rt_old", 1, "acct-1");
        CodexTokens after = CodexTokens.parse(utf8("{\"access_token\":\"" + ACCESS + "\",\"refresh_token\":\"rt_new\","
            + "\"expires_in\":3600}"), NOW).orElse(before);
        assertEquals(new CodexTokens(ID_TOKEN, ACCESS, "rt_new", NOW + 3_600_000, "acct-1"), after);
    }

    @Test
    void codexCliAuthJson() {
        CodexTokens t = CodexTokens.fromAuthJson(utf8("{\"OPENAI_API_KEY\":null,\"tokens\":{\"id_token\":\"" + ID_TOKEN
            + "\",\"access_token\":\"" + ACCESS + "\",\"refresh_token\":\"rt_Abc\",\"account_id\":\"acct-from-file\"},"
            + "\"last_refresh\":\"2025-12-02T15:00:00.123456Z\"}"));
        assertEquals(new CodexTokens(ID_TOKEN, ACCESS, "rt_Abc", 1_765_554_000_000L, "acct-from-file"), t);
        CodexTokens noAccountId = CodexTokens.fromAuthJson(utf8("{\"tokens\":{\"id_token\":\"" + ID_TOKEN
            + "\",\"access_token\":\"" + ACCESS + "\",\"refresh_token\":\"rt\"}}"));
        assertEquals("5b2c3f3e-8e4c-4d0a-9a53-1d2e3f4a5b6c", noAccountId.accountId());
    }

    @Test
    void rejectsNonTokenAnswers() {
        assertThrows(IllegalArgumentException.class, () -> CodexTokens.parse(utf8("<html>"), NOW));
        assertThrows(IllegalArgumentException.class, () -> CodexTokens.parse(utf8("{\"error\":\"invalid_grant\"}"), NOW));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CodexTokens.fromAuthJson(utf8("{\"OPENAI_API_KEY\":\"sk-proj-abc\",\"tokens\":null}")));
        assertFalse(e.getMessage().contains("sk-proj-abc"));
    }

    @Test
    void toStringMasksSecrets() {
        String s = new CodexTokens(ID_TOKEN, ACCESS, "rt_secret", 5, "acct").toString();
        assertFalse(s.contains(ACCESS));
        assertFalse(s.contains("rt_secret"));
        assertFalse(s.contains(ID_TOKEN));
        assertTrue(s.contains("accountId=acct"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
