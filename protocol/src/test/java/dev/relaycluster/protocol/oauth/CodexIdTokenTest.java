package dev.relaycluster.protocol.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CodexIdTokenTest {

    static final String CLAIMS = "{\"aud\":[\"app_EMoamEEZ73f0CkXaXp7hrann\"],\"auth_provider\":\"google\","
        + "\"email\":\"dev@example.com\",\"email_verified\":true,\"exp\":1764693600,\"iat\":1764690000,"
        + "\"https://api.openai.com/auth\":{\"chatgpt_account_id\":\"5b2c3f3e-8e4c-4d0a-9a53-1d2e3f4a5b6c\","
        + "\"chatgpt_plan_type\":\"plus\",\"chatgpt_subscription_active_until\":\"2026-01-02T00:00:00+00:00\","
        + "\"chatgpt_user_id\":\"user-AbCdEf123\",\"organizations\":[{\"id\":\"org-x\",\"is_default\":true,"
        + "\"role\":\"owner\",\"title\":\"Personal\"}],\"user_id\":\"user-AbCdEf123\"},"
        + "\"iss\":\"https://auth.openai.com\",\"sub\":\"google-oauth2|1234\"}";

    static String jwt(String claimsJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "." + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + "."
            + b64.encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    @Test
    void readsTheAuthClaimEmailAndExpiry() {
        CodexIdToken t = CodexIdToken.decode(jwt(CLAIMS));
        assertEquals(new CodexIdToken("5b2c3f3e-8e4c-4d0a-9a53-1d2e3f4a5b6c", "user-AbCdEf123", "plus",
            "dev@example.com", 1764693600), t);
        assertEquals(1_764_693_600_000L, t.expiresAtMillis());
    }

    @Test
    void thePlanIsAnAccountTierThatLeavesClaudeModelsAlone() {
        assertEquals(SubscriptionTier.PLUS,
            SubscriptionTier.fromChatGptPlan(CodexIdToken.decode(jwt(CLAIMS)).chatgptPlanType()));
        assertEquals(SubscriptionTier.PRO, SubscriptionTier.fromChatGptPlan("pro"));
        assertEquals(SubscriptionTier.FREE, SubscriptionTier.fromChatGptPlan("free"));
        assertEquals(SubscriptionTier.TEAM, SubscriptionTier.fromChatGptPlan("team"));
        assertEquals(SubscriptionTier.BUSINESS, SubscriptionTier.fromChatGptPlan("Business"));
        assertEquals(SubscriptionTier.ENTERPRISE, SubscriptionTier.fromChatGptPlan("enterprise"));
        assertEquals(SubscriptionTier.EDU, SubscriptionTier.fromChatGptPlan("edu"));
        assertEquals("team", SubscriptionTier.TEAM.wireName());
        assertNull(SubscriptionTier.fromChatGptPlan("something-new"));
        assertNull(SubscriptionTier.fromChatGptPlan(null));
        assertTrue(SubscriptionTier.PLUS.serves("claude-opus-4-1"));
        assertTrue(SubscriptionTier.PLUS.serves("gpt-5-codex"));
    }

    @Test
    void toleratesMissingFieldsAndUsesFallbacks() {
        CodexIdToken t = CodexIdToken.decode(jwt("{\"https://api.openai.com/profile\":{\"email\":\"p@example.com\"},"
            + "\"https://api.openai.com/auth\":{\"user_id\":\"user-1\"}}"));
        assertEquals(new CodexIdToken(null, "user-1", null, "p@example.com", 0), t);
        assertEquals(new CodexIdToken(null, null, null, null, 0), CodexIdToken.decode(jwt("{}")));
    }

    @Test
    void malformedTokensNeverEchoTheToken() {
        String secretish = "eyJhbGciOiJSUzI1NiJ9.secret-part-!!.sig";
        for (String bad : new String[] {secretish, "abc", "a.b", jwt("[1,2]"), "x." + Base64.getUrlEncoder()
            .encodeToString("not json".getBytes(StandardCharsets.UTF_8)) + ".y", "", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CodexIdToken.decode(bad));
            assertFalse(bad != null && !bad.isEmpty() && e.getMessage().contains(bad), e.getMessage());
            assertFalse(e.getMessage().contains("secret-part"), e.getMessage());
        }
    }
}
