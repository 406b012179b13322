package dev.relaycluster.protocol.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoogleOAuthTest {
  private static final String CLIENT = "1234-abc.apps.googleusercontent.com";

  @Test
  void authorizeUrlAsksForOfflineAccessWithConsentAndPkce() {
    assertEquals("https://accounts.google.com/o/oauth2/v2/auth?response_type=code&client_id=" + CLIENT
            + "&redirect_uri=https%3A%2F%2Fcodeassist.google.com%2Fauthcode"
            + "&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcloud-platform%20https%3A%2F%2Fwww.googleapis.com"
            + "%2Fauth%2Fuserinfo.email%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.profile"
            + "&access_type=offline&prompt=consent&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
            + "&code_challenge_method=S256&state=st%2Bate",
        GoogleOAuth.authorizeUrl(GoogleOAuth.AUTHORIZE_ENDPOINT, CLIENT, GoogleOAuth.REDIRECT_URI,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "st+ate"));
    assertTrue(GoogleOAuth.authorizeUrl("http://127.0.0.1:9/auth?x=1", CLIENT, "r", "c", "s")
        .startsWith("http://127.0.0.1:9/auth?x=1&response_type=code&"));
  }

  @Test
  void codeExchangeAndRefreshFormsCarryTheClientSecret() {
    assertEquals("grant_type=authorization_code&code=4%2F0AeaYSHx&redirect_uri=https%3A%2F%2Fcodeassist.google.com"
            + "%2Fauthcode&client_id=" + CLIENT + "&client_secret=s%2Bcret&code_verifier=ver",
        ascii(GoogleOAuth.authorizationCodeForm(CLIENT, "s+cret", "4/0AeaYSHx", GoogleOAuth.REDIRECT_URI, "ver")));
    assertEquals("grant_type=refresh_token&client_id=" + CLIENT + "&client_secret=sec&refresh_token=1%2F%2F0g-rt",
        ascii(GoogleOAuth.refreshForm(CLIENT, "sec", "1//0g-rt")));
  }

  @Test
  void aCodeExchangeAnswerWithIdTokenAndRefreshToken() {
    byte[] answer = utf8("{\"access_token\":\"ya29.a0AfB\",\"expires_in\":3599,\"refresh_token\":\"1//0gNEW\","
        + "\"scope\":\"https://www.googleapis.com/auth/userinfo.email openid "
        + "https://www.googleapis.com/auth/cloud-platform\",\"token_type\":\"Bearer\",\"id_token\":\""
        + jwt("{\"iss\":\"https://accounts.google.com\",\"email\":\"dev@example.com\",\"email_verified\":true}")
        + "\"}");
    OAuthTokens t = GoogleOAuth.tokens(answer, 1_000_000L, "1//0gOLD");
    assertEquals("ya29.a0AfB", t.accessToken());
    assertEquals("1//0gNEW", t.refreshToken());
    assertEquals(1_000_000L + 3_599_000L, t.expiresAt());
    assertEquals("dev@example.com", t.email());
    assertTrue(t.hasScope("https://www.googleapis.com/auth/cloud-platform"));
    assertNull(t.accountUuid(), "the project is not in the token answer");
  }

  @Test
  void aRefreshAnswerWithoutARefreshTokenKeepsTheOldOne() {
    byte[] answer = utf8("{\"access_token\":\"ya29.second\",\"expires_in\":3599,\"scope\":\"openid\","
        + "\"token_type\":\"Bearer\"}");
    OAuthTokens t = GoogleOAuth.tokens(answer, 0, "1//0gOLD");
    assertEquals("ya29.second", t.accessToken());
    assertEquals("1//0gOLD", t.refreshToken());
    assertNull(t.email());
    assertThrows(IllegalArgumentException.class, () -> GoogleOAuth.tokens(utf8("{\"expires_in\":1}"), 0, null));
    assertThrows(IllegalArgumentException.class, () -> GoogleOAuth.tokens(utf8("<html>"), 0, null));
  }

  @Test
  void invalidGrantIsADeadLoginOtherRefusalsAreNot() {
    assertTrue(GoogleOAuth.refreshRejection(utf8("{\"error\":\"invalid_grant\",\"error_description\":\"Token has been"
        + " expired or revoked.\"}")));
    assertFalse(GoogleOAuth.refreshRejection(utf8("{\"error\":\"invalid_client\",\"error_description\":"
        + "\"The OAuth client was not found.\"}")));
    assertFalse(GoogleOAuth.refreshRejection(utf8("{\"error\":{\"code\":503,\"message\":\"x\",\"status\":"
        + "\"UNAVAILABLE\"}}")));
    assertEquals("unavailable", GoogleOAuth.errorCode(utf8("{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\"}}")));
    assertFalse(GoogleOAuth.refreshRejection(utf8("<html>502</html>")));
    assertFalse(GoogleOAuth.refreshRejection(null));
  }

  @Test
  void readsGeminiCliOauthCreds() {
    String creds = "{\n  \"access_token\": \"ya29.a0ARW5m7\",\n  \"scope\": \"https://www.googleapis.com/auth/"
        + "cloud-platform https://www.googleapis.com/auth/userinfo.profile openid https://www.googleapis.com/auth/"
        + "userinfo.email\",\n  \"token_type\": \"Bearer\",\n  \"id_token\": \""
        + jwt("{\"email\":\"cli@example.com\",\"exp\":1750000000}") + "\",\n  \"expiry_date\": 1750000000123,\n"
        + "  \"refresh_token\": \"1//0eXYZ\"\n}";
    OAuthTokens t = GoogleOAuth.fromCredsJson(utf8(creds));
    assertEquals("ya29.a0ARW5m7", t.accessToken());
    assertEquals("1//0eXYZ", t.refreshToken());
    assertEquals(1750000000123L, t.expiresAt());
    assertEquals("cli@example.com", t.email());
    assertEquals(4, t.scopes().size());

    OAuthTokens bare = GoogleOAuth.fromCredsJson(utf8("{\"access_token\":\"a\",\"expiry_date\":\"42\"}"));
    assertNull(bare.refreshToken());
    assertEquals(42, bare.expiresAt());
    assertEquals(List.of(), bare.scopes());
    IllegalArgumentException noToken = assertThrows(IllegalArgumentException.class,
        () -> GoogleOAuth.fromCredsJson(utf8("{\"refresh_token\":\"1//x\"}")));
    assertTrue(noToken.getMessage().contains("no access_token"));
    assertThrows(IllegalArgumentException.class, () -> GoogleOAuth.fromCredsJson(utf8("[1]")));
  }

  @Test
  void emailFromIdTokenOrUserinfo() {
    assertEquals("a@b.c", GoogleOAuth.emailOf(jwt("{\"email\":\"a@b.c\"}")));
    assertNull(GoogleOAuth.emailOf("not-a-jwt"));
    assertNull(GoogleOAuth.emailOf(jwt("{\"sub\":\"1\"}")));
    assertEquals("u@example.com", GoogleOAuth.emailOfUserinfo(utf8("{\"id\":\"1\",\"email\":\"u@example.com\","
        + "\"verified_email\":true,\"picture\":\"https://x\"}")));
    assertNull(GoogleOAuth.emailOfUserinfo(utf8("oops")));
  }

  static String jwt(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(utf8("{\"alg\":\"RS256\",\"typ\":\"JWT\"}")) + "." + b64.encodeToString(utf8(payload))
        + ".c2ln";
  }

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
