package dev.relaycluster.protocol.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaudeOAuthTest {

  @Test
  void s256ChallengeMatchesTheRfc7636Example() {
    // RFC 7636 appendix B
    assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
  }

  @Test
  void generatedVerifiersAreLongRandomAndUrlSafe() {
    Pkce a = Pkce.generate();
    Pkce b = Pkce.generate();
    assertEquals(43, a.verifier().length());
    assertTrue(a.verifier().matches("[A-Za-z0-9_-]+"));
    assertNotEquals(a.verifier(), b.verifier());
    assertNotEquals(a.state(), b.state());
    assertEquals(Pkce.challengeOf(a.verifier()), a.challenge());
    assertFalse(a.toString().contains(a.verifier()));
  }

  @Test
  void authorizeUrlCarriesEveryParameter() {
    Pkce p = new Pkce("v", "chal", "st");
    String url = ClaudeOAuth.authorizeUrl("https://claude.ai/oauth/authorize", "client-1",
        "https://platform.claude.com/oauth/code/callback", ClaudeOAuth.LOGIN_SCOPES, p);
    assertEquals("https://claude.ai/oauth/authorize?code=true&client_id=client-1&response_type=code"
        + "&redirect_uri=https%3A%2F%2Fplatform.claude.com%2Foauth%2Fcode%2Fcallback"
        + "&scope=org%3Acreate_api_key%20user%3Aprofile%20user%3Ainference%20user%3Asessions%3Aclaude_code"
        + "%20user%3Amcp_servers%20user%3Afile_upload&code_challenge=chal&code_challenge_method=S256&state=st", url);
  }

  @Test
  void tokenRequestBodies() throws Exception {
    JsonNode code = Json.parse(ClaudeOAuth.authorizationCodeBody("c", "the-code", "https://r", "ver", "st", false));
    assertEquals("authorization_code", code.get("grant_type").asText());
    assertEquals("c", code.get("client_id").asText());
    assertEquals("the-code", code.get("code").asText());
    assertEquals("https://r", code.get("redirect_uri").asText());
    assertEquals("ver", code.get("code_verifier").asText());
    assertEquals("st", code.get("state").asText());
    assertFalse(code.has("expires_in"));
    JsonNode setup = Json.parse(ClaudeOAuth.authorizationCodeBody("c", "x", "https://r", "v", "s", true));
    assertEquals(31_536_000L, setup.get("expires_in").asLong());
    JsonNode refresh = Json.parse(ClaudeOAuth.refreshBody("c", "rt-1"));
    assertEquals("refresh_token", refresh.get("grant_type").asText());
    assertEquals("rt-1", refresh.get("refresh_token").asText());
    assertEquals("c", refresh.get("client_id").asText());
  }

  @Test
  void pastedCodesInEveryForm() {
    assertEquals(new AuthorizationCode("abc", "st1"),
        AuthorizationCode.parse("https://platform.claude.com/oauth/code/callback?code=abc&state=st1"));
    assertEquals(new AuthorizationCode("abc", "st1"), AuthorizationCode.parse("  abc#st1 "));
    assertEquals(new AuthorizationCode("abc", null), AuthorizationCode.parse("abc"));
    assertEquals(new AuthorizationCode("abc", null), AuthorizationCode.parse("abc&foo=bar"));
    assertThrows(IllegalArgumentException.class, () -> AuthorizationCode.parse(""));
    assertThrows(IllegalArgumentException.class, () -> AuthorizationCode.parse("https://x.example/cb?state=1"));
    assertThrows(IllegalArgumentException.class, () -> AuthorizationCode.parse("two words"));
  }

  @Test
  void tokenAnswers() {
    byte[] body = ("{\"token_type\":\"Bearer\",\"access_token\":\"sk-ant-oat01-a\",\"refresh_token\":\"sk-ant-ort01-r\","
        + "\"expires_in\":28800,\"scope\":\"user:inference user:profile\",\"account\":{\"uuid\":\"acc-u\","
        + "\"email_address\":\"a@example.com\"},\"organization\":{\"uuid\":\"org-u\"}}").getBytes(StandardCharsets.UTF_8);
    OAuthTokens t = OAuthTokens.parse(body, 1_000_000L);
    assertEquals("sk-ant-oat01-a", t.accessToken());
    assertEquals("sk-ant-ort01-r", t.refreshToken());
    assertEquals(1_000_000L + 28_800_000L, t.expiresAt());
    assertEquals(List.of("user:inference", "user:profile"), t.scopes());
    assertTrue(t.hasScope("user:profile"));
    assertEquals("a@example.com", t.email());
    assertFalse(t.toString().contains("sk-ant"));
    OAuthTokens setup = OAuthTokens.parse("{\"access_token\":\"x\",\"expires_in\":31536000,\"scope\":\"user:inference\"}"
        .getBytes(StandardCharsets.UTF_8), 0);
    assertNull(setup.refreshToken());
    assertThrows(IllegalArgumentException.class, () -> OAuthTokens.parse("{\"error\":\"invalid_grant\"}"
        .getBytes(StandardCharsets.UTF_8), 0));
    assertThrows(IllegalArgumentException.class, () -> OAuthTokens.parse("<html>".getBytes(StandardCharsets.UTF_8), 0));
  }

  @Test
  void tiersFromProfilesAndWhatTheyServe() {
    assertEquals(SubscriptionTier.MAX, SubscriptionTier.fromProfile(
        "{\"account\":{\"has_claude_max\":true,\"has_claude_pro\":false}}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(SubscriptionTier.PRO, SubscriptionTier.fromProfile(
        "{\"account\":{\"has_claude_pro\":true},\"organization\":{\"organization_type\":\"claude_pro\"}}"
            .getBytes(StandardCharsets.UTF_8)));
    assertEquals(SubscriptionTier.FREE, SubscriptionTier.fromProfile(
        "{\"account\":{\"has_claude_max\":false,\"has_claude_pro\":false}}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(SubscriptionTier.UNKNOWN, SubscriptionTier.fromProfile("nope".getBytes(StandardCharsets.UTF_8)));
    assertFalse(SubscriptionTier.FREE.serves("claude-opus-4-5-20251101"));
    assertTrue(SubscriptionTier.FREE.serves("claude-sonnet-4-5-20250929"));
    assertTrue(SubscriptionTier.PRO.serves("claude-opus-4-5-20251101"));
    assertFalse(SubscriptionTier.PRO.serves("claude-opus-4-1-20250805"));
    assertTrue(SubscriptionTier.MAX.serves("claude-opus-4-1-20250805"));
  }
}
