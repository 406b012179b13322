package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ChatGPT login side of {@link MockOpenAi}: its {@code POST /oauth/token} (form-encoded, or JSON as
 * codex-rs sends refreshes) with the {@code authorization_code} grant (PKCE S256 checked) and the
 * {@code refresh_token} grant with rotating single-use refresh tokens. Every grant issues a new access
 * token, refresh token and id_token (unsigned-looking JWTs whose {@code https://api.openai.com/auth} claim
 * holds chatgpt_account_id, chatgpt_plan_type "plus" and chatgpt_user_id); a refresh supersedes the access
 * token issued with the presented refresh token; a reused refresh token answers 401
 * {@code refresh_token_reused}. Also the set of access tokens the codex backend accepts.
 */
public final class MockOpenAiAuth {
  public static final String CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
  public static final String REDIRECT_URI = "http://localhost:1455/auth/callback";

  /** What the token endpoint issued for one login or refresh. */
  public record Tokens(String accessToken, String refreshToken, String idToken, String accountId) {}

  /** A token endpoint answer: status and JSON body. */
  public record Answer(int status, String body) {}

  private record Account(String accountId, String userId, String email) {}

  private record PendingCode(String challenge, Account account) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicInteger ids = new AtomicInteger();
  /** Live access tokens → the account they belong to. */
  private final Map<String, Account> accessTokens = new ConcurrentHashMap<>();
  /** Live refresh tokens → the account, and the access token issued with each (superseded on refresh). */
  private final Map<String, Account> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, String> accessByRefresh = new ConcurrentHashMap<>();
  private final Set<String> usedRefreshTokens = ConcurrentHashMap.newKeySet();
  private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
  private final AtomicInteger refreshCalls = new AtomicInteger();
  private final AtomicInteger exchangeCalls = new AtomicInteger();
  private volatile long accessTokenLifetimeSeconds = 864_000;
  private volatile long refreshDelayMillis;

  /** Starts with one access token registered for one account. */
  public MockOpenAiAuth(String accessToken, String accountId) {
    accessTokens.put(accessToken, new Account(accountId, "user-" + accountId, "owner@example.com"));
  }

  /** The account id of a live access token, or null. */
  public String accountOf(String accessToken) {
    Account a = accessTokens.get(accessToken);
    return a == null ? null : a.accountId();
  }

  public void acceptAccessToken(String token, String accountId) {
    accessTokens.put(token, new Account(accountId, "user-" + accountId, accountId + "@example.com"));
  }

  public void revokeAccessToken(String token) {
    accessTokens.remove(token);
  }

  public Tokens login(String accountId, String email) {
    return issue(new Account(accountId, "user-" + accountId, email));
  }

  public String issueCode(String codeChallenge, String accountId, String email) {
    String code = "ac_mock_" + ids.incrementAndGet();
    codes.put(code, new PendingCode(codeChallenge, new Account(accountId, "user-" + accountId, email)));
    return code;
  }

  /** The expires_in (and access-token exp) of tokens issued from now on; default ten days. */
  public void accessTokenLifetime(Duration lifetime) {
    accessTokenLifetimeSeconds = lifetime.toSeconds();
  }

  /** Slows refreshes down to widen races between concurrent refreshers. */
  public void refreshDelay(long millis) {
    refreshDelayMillis = millis;
  }

  public boolean refreshTokenLive(String token) {
    return refreshTokens.containsKey(token);
  }

  public boolean accessTokenLive(String token) {
    return accessTokens.containsKey(token);
  }

  public int refreshCalls() {
    return refreshCalls.get();
  }

  public int exchangeCalls() {
    return exchangeCalls.get();
  }

  /** Answers one token-endpoint request. */
  public Answer token(String contentType, byte[] body) throws InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    if (String.valueOf(contentType).startsWith("application/json")) {
      try {
        JSON.readTree(body).fields().forEachRemaining(f -> form.put(f.getKey(), f.getValue().asText()));
      } catch (IOException e) {
        return error(400, "Invalid JSON body.", "invalid_request");
      }
    } else {
      for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    if (!CLIENT_ID.equals(form.get("client_id"))) {
      return error(401, "Unknown client_id.", "invalid_client");
    }
    String grant = String.valueOf(form.get("grant_type"));
    if (grant.equals("authorization_code")) {
      exchangeCalls.incrementAndGet();
      PendingCode pending = codes.remove(String.valueOf(form.get("code")));
      if (pending == null) {
        return error(400, "Invalid authorization code.", "invalid_grant");
      }
      if (!REDIRECT_URI.equals(form.get("redirect_uri")) || form.get("code_verifier") == null
          || (pending.challenge() != null && !pending.challenge().equals(s256(form.get("code_verifier"))))) {
        return error(400, "code_verifier or redirect_uri does not match.", "invalid_grant");
      }
      return new Answer(200, tokensJson(issue(pending.account())));
    }
    if (grant.equals("refresh_token")) {
      refreshCalls.incrementAndGet();
      if (refreshDelayMillis > 0) {
        Thread.sleep(refreshDelayMillis);
      }
      String presented = String.valueOf(form.get("refresh_token"));
      Account account = refreshTokens.remove(presented);
      if (account == null) {
        return usedRefreshTokens.contains(presented)
            ? error(401, "Your refresh token has already been used to generate a new access token. "
                + "Please try signing in again.", "refresh_token_reused")
            : error(401, "Your refresh token is invalid. Please try signing in again.", "refresh_token_invalidated");
      }
      usedRefreshTokens.add(presented);
      String superseded = accessByRefresh.remove(presented);
      if (superseded != null) {
        accessTokens.remove(superseded);
      }
      return new Answer(200, tokensJson(issue(account)));
    }
    return error(400, "Unsupported grant_type.", "unsupported_grant_type");
  }

  private static Answer error(int status, String message, String code) {
    return new Answer(status, MockOpenAiEvents.errorBody(
        MockOpenAiEvents.apiError(message, "invalid_request_error", code)));
  }

  private Tokens issue(Account account) {
    int n = ids.incrementAndGet();
    long now = System.currentTimeMillis() / 1000;
    long exp = now + accessTokenLifetimeSeconds;
    ObjectNode auth = JSON.createObjectNode().put("chatgpt_account_id", account.accountId())
        .put("chatgpt_plan_type", "plus").put("chatgpt_user_id", account.userId()).put("user_id", account.userId());
    ObjectNode access = JSON.createObjectNode();
    access.putArray("aud").add("https://api.openai.com/v1");
    access.put("client_id", CLIENT_ID).put("exp", exp).put("iat", now).put("iss", "https://auth.openai.com")
        .put("jti", "jti-" + n).put("sub", "auth0|" + account.userId());
    access.set("https://api.openai.com/auth", auth.deepCopy());
    access.putObject("https://api.openai.com/profile").put("email", account.email()).put("email_verified", true);
    access.putArray("scp").add("openid").add("profile").add("email").add("offline_access");
    ObjectNode id = JSON.createObjectNode();
    id.putArray("aud").add(CLIENT_ID);
    id.put("auth_time", now).put("email", account.email()).put("email_verified", true).put("exp", now + 3600)
        .put("iat", now).put("iss", "https://auth.openai.com").put("jti", "id-" + n)
        .put("sub", "auth0|" + account.userId());
    ObjectNode idAuth = auth.deepCopy();
    idAuth.putArray("organizations").addObject().put("id", "org-mock").put("is_default", true).put("role", "owner")
        .put("title", "Personal");
    id.set("https://api.openai.com/auth", idAuth);
    Tokens t = new Tokens(jwt(access), "rt_mock_" + n + "_" + UUID.randomUUID().toString().replace("-", ""), jwt(id),
        account.accountId());
    accessTokens.put(t.accessToken(), account);
    refreshTokens.put(t.refreshToken(), account);
    accessByRefresh.put(t.refreshToken(), t.accessToken());
    return t;
  }

  private String tokensJson(Tokens t) {
    return JSON.createObjectNode().put("id_token", t.idToken()).put("access_token", t.accessToken())
        .put("refresh_token", t.refreshToken()).put("expires_in", accessTokenLifetimeSeconds)
        .put("token_type", "Bearer").put("scope", "openid profile email offline_access").toString();
  }

  /** An unsigned-looking JWT: base64url header, payload and a fixed fake signature. */
  private static String jwt(ObjectNode payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"mock\"}".getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString("mock-signature".getBytes(StandardCharsets.UTF_8));
  }

  private static String s256(String verifier) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
