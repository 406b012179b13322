package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Google OAuth side of {@link MockGemini}: accounts (refresh token, email, project), the access tokens
 * issued for them, one-time authorization codes bound to a PKCE S256 challenge and a redirect URI, and the
 * token endpoint ({@code POST /token}, form-encoded, client credentials in the form or as HTTP Basic) with
 * the {@code authorization_code} and {@code refresh_token} grants. Answers and errors have Google's shape:
 * {@code {access_token, expires_in:3599, refresh_token (code grant only), scope, token_type:"Bearer",
 * id_token}}; {@code {"error":"invalid_grant","error_description":…}} 400, {@code invalid_client} 401,
 * {@code redirect_uri_mismatch} 400, {@code unsupported_grant_type} 400. Refresh tokens do not rotate.
 */
public final class MockGeminiAuth {
  public static final long EXPIRES_IN = 3599;
  public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform "
      + "https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid";

  /** One Google account: what its refresh token is, who it is, and the Code Assist project it uses. */
  public static final class Account {
    final String refreshToken;
    final String email;
    final String id;
    /** The project loadCodeAssist reports; null until onboarding gives one (Setup.ONBOARD). */
    volatile String project;
    volatile boolean refreshRevoked;

    Account(String refreshToken, String email, String id, String project) {
      this.refreshToken = refreshToken;
      this.email = email;
      this.id = id;
      this.project = project;
    }

    public String email() {
      return email;
    }

    public String project() {
      return project;
    }
  }

  /** An answer of the token endpoint. */
  public record Answer(int status, String body) {}

  private record Code(String challenge, String redirectUri, Account account) {}

  private final String clientId;
  private final String clientSecret;
  private final Map<String, Account> byRefreshToken = new ConcurrentHashMap<>();
  private final Map<String, Account> byEmail = new ConcurrentHashMap<>();
  private final Map<String, Account> accessTokens = new ConcurrentHashMap<>();
  private final Set<String> expired = ConcurrentHashMap.newKeySet();
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger refreshCalls = new AtomicInteger();
  private final AtomicInteger exchangeCalls = new AtomicInteger();

  MockGeminiAuth(String clientId, String clientSecret) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** Adds an account (its refresh token is live at once). */
  public Account addAccount(String refreshToken, String email, String project) {
    Account a = new Account(refreshToken, email, String.valueOf(100_000_000_000L + byEmail.size() + 1), project);
    byRefreshToken.put(refreshToken, a);
    byEmail.put(email, a);
    return a;
  }

  public Account account(String email) {
    return byEmail.get(email);
  }

  /** A new live access token of this account. */
  public String issueAccessToken(Account account) {
    String token = "ya29.mock-" + ids.incrementAndGet() + "-" + Integer.toHexString(account.email.hashCode());
    accessTokens.put(token, account);
    return token;
  }

  /** Every access token issued so far gets 401 from now on (tokens issued later are good). */
  public void expireAccessTokens() {
    expired.addAll(accessTokens.keySet());
  }

  /** The account of a live access token, or null. */
  public Account accountOf(String accessToken) {
    return accessToken == null || expired.contains(accessToken) ? null : accessTokens.get(accessToken);
  }

  /** Whether this token was issued (live or expired). */
  public boolean issued(String accessToken) {
    return accessToken != null && accessTokens.containsKey(accessToken);
  }

  public String authorizationCode(Account account, String codeChallenge, String redirectUri) {
    String code = "4/0AVMock" + ids.incrementAndGet() + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    codes.put(code, new Code(codeChallenge, redirectUri, account));
    return code;
  }

  public void revokeRefreshToken(Account account) {
    account.refreshRevoked = true;
  }

  public int refreshCalls() {
    return refreshCalls.get();
  }

  public int exchangeCalls() {
    return exchangeCalls.get();
  }

  /** Answers one {@code POST /token} (form body; client credentials in it or in an HTTP Basic header). */
  public Answer token(String authorizationHeader, String body) {
    Map<String, String> form = MockGeminiWire.query(body);
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
      String pair = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()),
          StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      id = pair.substring(0, Math.max(0, colon));
      secret = pair.substring(colon + 1);
    }
    if (!clientId.equals(id)) {
      return error(401, "invalid_client", "The OAuth client was not found.");
    }
    if (!clientSecret.equals(secret)) {
      return error(401, "invalid_client", "Unauthorized");
    }
    String grant = String.valueOf(form.get("grant_type"));
    if (grant.equals("authorization_code")) {
      exchangeCalls.incrementAndGet();
      Code code = codes.remove(String.valueOf(form.get("code")));
      if (code == null) {
        return error(400, "invalid_grant", "Malformed auth code.");
      }
      if (!code.redirectUri().equals(form.get("redirect_uri"))) {
        return error(400, "redirect_uri_mismatch", "Bad Request");
      }
      String verifier = form.get("code_verifier");
      if (verifier == null) {
        return error(400, "invalid_grant", "Missing code verifier.");
      }
      if (!code.challenge().equals(s256(verifier))) {
        return error(400, "invalid_grant", "Bad Request");
      }
      return new Answer(200, tokens(code.account(), true));
    }
    if (grant.equals("refresh_token")) {
      refreshCalls.incrementAndGet();
      Account a = byRefreshToken.get(String.valueOf(form.get("refresh_token")));
      if (a == null) {
        return error(400, "invalid_grant", "Bad Request");
      }
      if (a.refreshRevoked) {
        return error(400, "invalid_grant", "Token has been expired or revoked.");
      }
      return new Answer(200, tokens(a, false));
    }
    return error(400, "unsupported_grant_type", "Invalid grant_type: " + grant);
  }

  /** {@code GET /oauth2/v2/userinfo} for a live token, else null. */
  public String userinfo(String accessToken) {
    Account a = accountOf(accessToken);
    if (a == null) {
      return null;
    }
    ObjectNode u = MockGeminiAnswers.JSON.createObjectNode();
    u.put("id", a.id).put("email", a.email).put("verified_email", true).put("name", "Gemini User")
        .put("given_name", "Gemini").put("family_name", "User")
        .put("picture", "https://lh3.googleusercontent.com/a/mock-picture");
    return MockGeminiAnswers.pretty(u);
  }

  /** {@code /oauth2/v3/tokeninfo?access_token=…} (also {@code /tokeninfo}) for a live token, else null. */
  public String tokeninfo(String accessToken) {
    Account a = accountOf(accessToken);
    if (a == null) {
      return null;
    }
    long exp = System.currentTimeMillis() / 1000 + EXPIRES_IN;
    ObjectNode t = MockGeminiAnswers.JSON.createObjectNode();
    t.put("azp", clientId).put("aud", clientId).put("sub", a.id).put("scope", SCOPE).put("exp", String.valueOf(exp))
        .put("expires_in", String.valueOf(EXPIRES_IN)).put("email", a.email).put("email_verified", "true")
        .put("access_type", "offline");
    return MockGeminiAnswers.pretty(t);
  }

  private String tokens(Account a, boolean withRefreshToken) {
    ObjectNode t = MockGeminiAnswers.JSON.createObjectNode();
    t.put("access_token", issueAccessToken(a)).put("expires_in", EXPIRES_IN);
    if (withRefreshToken) {
      t.put("refresh_token", a.refreshToken);
    }
    t.put("scope", SCOPE).put("token_type", "Bearer").put("id_token", idToken(a));
    return MockGeminiAnswers.pretty(t);
  }

  private String idToken(Account a) {
    long now = System.currentTimeMillis() / 1000;
    ObjectNode claims = MockGeminiAnswers.JSON.createObjectNode();
    claims.put("iss", "https://accounts.google.com").put("azp", clientId).put("aud", clientId).put("sub", a.id)
        .put("email", a.email).put("email_verified", true).put("iat", now).put("exp", now + EXPIRES_IN);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"mock\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString("mock-signature".getBytes(StandardCharsets.UTF_8));
  }

  private static Answer error(int status, String error, String description) {
    ObjectNode e = MockGeminiAnswers.JSON.createObjectNode().put("error", error).put("error_description", description);
    return new Answer(status, MockGeminiAnswers.pretty(e));
  }

  static String s256(String verifier) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
