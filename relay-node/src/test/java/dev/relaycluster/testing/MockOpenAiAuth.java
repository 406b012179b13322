package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The ChatGPT login side of {@link MockOpenAi}: its {@code POST /oauth/token} (form-encoded, or JSON as
 * codex-rs sends refreshes) with the {@code authorization_code} grant (PKCE S256 checked) and the
 * {@code refresh_token} grant with rotating single-use refresh tokens. Every grant issues a new access
 * token, refresh token and id_token (unsigned-looking JWTs whose {@code https://api.openai.com/auth} claim
 * holds chatgpt_account_id, chatgpt_plan_type "plus" and chatgpt_user_id); a refresh supersedes the access
 * token issued with the presented refresh token; a reused refresh token answers 401
 * {@code refresh_token_reused}. Also the set of access tokens the codex backend accepts, the refresh tokens
 * and content types the endpoint was sent, and {@link #login(String)}, which plays the browser on an
 * authorize URL pointing at {@link #authorizeUrl()} (a page nobody fetches: the node only builds the URL).
 */
public final class MockOpenAiAuth {
  public static final String CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
  public static final String REDIRECT_URI = "http://localhost:1455/auth/callback";
  /** The email of the default account (the one the constructor's access token belongs to). */
  public static final String EMAIL = "owner@example.com";
  /** The default expires_in of issued access tokens: ten days. */
  public static final long EXPIRES_IN = 864_000;

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
  private final List<String> refreshTokensPresented = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final Account defaultAccount;
  private final Supplier<String> baseUrl;
  private volatile Tokens lastIssued;
  private volatile long accessTokenLifetimeSeconds = EXPIRES_IN;
  private volatile long refreshDelayMillis;

  /** Starts with one access token registered for one (the default) account, served at this base URL. */
  public MockOpenAiAuth(String accessToken, String accountId, Supplier<String> baseUrl) {
    this.defaultAccount = new Account(accountId, "user-" + accountId, EMAIL);
    this.baseUrl = baseUrl;
    accessTokens.put(accessToken, defaultAccount);
  }

  public String tokenUrl() {
    return baseUrl.get() + "/oauth/token";
  }

  /** The authorize page's address; {@link #login(String)} accepts URLs under it. */
  public String authorizeUrl() {
    return baseUrl.get() + "/oauth/authorize";
  }

  /** The config overrides that point a node at this mock (client id and redirect stay the real ones). */
  public Map<String, Object> nodeConfig() {
    return Map.of("relay.accounts.codex-oauth.token-url", tokenUrl(),
        "relay.accounts.codex-oauth.authorize-url", authorizeUrl());
  }

  /**
   * What the browser does with an authorize URL once the user has logged in (as the default account):
   * checks it as the authorize page would and returns the callback URL with a fresh code and the URL's state.
   *
   * @throws IllegalArgumentException when the URL is not one the authorize page accepts
   */
  public String login(String authorizeUrl) {
    Map<String, String> q = query(authorizeUrl);
    require(authorizeUrl.startsWith(authorizeUrl() + "?"), "not this server's authorize page");
    require("code".equals(q.get("response_type")), "response_type must be code");
    require(CLIENT_ID.equals(q.get("client_id")), "unknown client_id");
    require(REDIRECT_URI.equals(q.get("redirect_uri")), "redirect_uri not registered for the client");
    require("S256".equals(q.get("code_challenge_method")), "code_challenge_method must be S256");
    require(q.get("code_challenge") != null && q.get("state") != null, "code_challenge and state are required");
    String code = issueCode(q.get("code_challenge"));
    return REDIRECT_URI + "?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&scope="
        + URLEncoder.encode(String.valueOf(q.get("scope")), StandardCharsets.UTF_8) + "&state="
        + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
  }

  /** A code for the default account bound to this PKCE challenge, as the authorize page issues after a login. */
  public String issueCode(String codeChallenge) {
    String code = "ac_mock_" + ids.incrementAndGet();
    codes.put(code, new PendingCode(codeChallenge, defaultAccount));
    return code;
  }

  /** Makes a refresh token of the default account live, as if an earlier login had issued it. */
  public void acceptRefreshToken(String refreshToken) {
    refreshTokens.put(refreshToken, defaultAccount);
  }

  /** The refresh tokens presented to the refresh grant, in order. */
  public List<String> refreshTokensPresented() {
    return List.copyOf(refreshTokensPresented);
  }

  /** The content types of the token requests, in order. */
  public List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  /** What the last grant (or {@link #login(String, String)}) issued, or null. */
  public Tokens lastIssued() {
    return lastIssued;
  }

  /** The decoded query parameters of a URL. */
  public static Map<String, String> query(String url) {
    String raw = URI.create(url).getRawQuery();
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      decodeForm(raw, out);
    }
    return out;
  }

  /** An unsigned JWT (fixed fake signature) with these claims. */
  public static String jwt(Map<String, Object> claims) {
    return jwt(JSON.<ObjectNode>valueToTree(claims));
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
    contentTypes.add(String.valueOf(contentType));
    Map<String, String> form = new LinkedHashMap<>();
    if (String.valueOf(contentType).startsWith("application/json")) {
      try {
        JSON.readTree(body).fields().forEachRemaining(f -> form.put(f.getKey(), f.getValue().asText()));
      } catch (IOException e) {
        return error(400, "Invalid JSON body.", "invalid_request");
      }
    } else {
      decodeForm(new String(body, StandardCharsets.UTF_8), form);
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
      refreshTokensPresented.add(String.valueOf(form.get("refresh_token")));
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
    lastIssued = t;
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

  private static void decodeForm(String body, Map<String, String> into) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        into.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
  }

  private static void require(boolean ok, String why) {
    if (!ok) {
      throw new IllegalArgumentException("authorize page: " + why);
    }
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
