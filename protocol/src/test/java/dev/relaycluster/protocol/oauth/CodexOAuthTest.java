package dev.relaycluster.protocol.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodexOAuthTest {

    @Test
    void authorizeUrlCarriesCodexParameters() {
        assertEquals("https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann"
                + "&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&scope=openid%20profile%20email%20"
                + "offline_access&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
                + "&id_token_add_organizations=true&codex_cli_simplified_flow=true&state=st%2Bate",
            CodexOAuth.authorizeUrl(CodexOAuth.AUTHORIZE_ENDPOINT, CodexOAuth.CLIENT_ID, CodexOAuth.REDIRECT_URI,
                CodexOAuth.SCOPES, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "st+ate"));
    }

    @Test
    void codeExchangeForm() {
        assertEquals("grant_type=authorization_code&code=ac_1%2F2&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth"
                + "%2Fcallback&client_id=app_EMoamEEZ73f0CkXaXp7hrann&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            ascii(CodexOAuth.authorizationCodeForm(CodexOAuth.CLIENT_ID, "ac_1/2", CodexOAuth.REDIRECT_URI,
                "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")));
    }

    @Test
    void refreshForm() {
        assertEquals("client_id=app_EMoamEEZ73f0CkXaXp7hrann&grant_type=refresh_token&refresh_token=rt_a%2Bb%3D"
                + "&scope=openid+profile+email",
            ascii(CodexOAuth.refreshForm(CodexOAuth.CLIENT_ID, "rt_a+b=", CodexOAuth.REFRESH_SCOPES)));
        assertEquals("client_id=c&grant_type=refresh_token&refresh_token=r", ascii(CodexOAuth.refreshForm("c", "r", null)));
    }

    @Test
    void deadLoginsVersusPassingFailures() {
        assertTrue(CodexOAuth.refreshRejection(utf8("{\"error\":{\"message\":\"Your refresh token has already been"
            + " used to generate a new access token. Please try signing in again.\",\"type\":\"invalid_request_error\","
            + "\"param\":null,\"code\":\"refresh_token_reused\"}}")));
        assertTrue(CodexOAuth.refreshRejection(utf8("{\"error\":{\"code\":\"refresh_token_expired\"}}")));
        assertTrue(CodexOAuth.refreshRejection(utf8("{\"error\":{\"code\":\"REFRESH_TOKEN_INVALIDATED\"}}")));
        assertTrue(CodexOAuth.refreshRejection(utf8("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid"
            + " refresh token\"}")));
        assertTrue(CodexOAuth.refreshRejection(utf8("{\"code\":\"refresh_token_reused\"}")));
        assertFalse(CodexOAuth.refreshRejection(utf8("{\"error\":{\"message\":\"upstream timeout\",\"code\":"
            + "\"server_error\"}}")));
        assertFalse(CodexOAuth.refreshRejection(utf8("<html>502 Bad Gateway</html>")));
        assertFalse(CodexOAuth.refreshRejection(null));
        assertTrue(CodexOAuth.refreshRejection(401, utf8("{}")));
        assertFalse(CodexOAuth.refreshRejection(503, utf8("{}")));
        assertEquals("invalid_grant", CodexOAuth.refreshErrorCode(utf8("{\"error\":\"invalid_grant\"}")));
        assertNull(CodexOAuth.refreshErrorCode(utf8("[]")));
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
