package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock of ChatGPT's OAuth server ({@code auth.openai.com}) as the Codex CLI uses it. {@code POST /oauth/token}
 * takes form-encoded bodies only: the {@code authorization_code} grant (client, redirect and PKCE S256 checked)
 * and the {@code refresh_token} grant, whose refresh tokens rotate and are single-use: a used one is answered
 * 401 {@code {"error":{"code":"refresh_token_reused",…}}} as OpenAI does, an unknown one 401
 * {@code refresh_token_invalidated}. Answers carry {@code id_token} and {@code access_token} as unsigned JWTs
 * with the {@code https://api.openai.com/auth} claim ({@code chatgpt_account_id} …), a refresh token and
 * {@code expires_in}. {@link #login} plays the browser: it checks an authorize URL and returns the callback
 * URL the operator would paste. Counts calls per grant and can slow refreshes down to widen races.
 */
public final class MockChatGptAuth implements AutoCloseable {
  public static final String CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
  public static final String REDIRECT_URI = "http://localhost:1455/auth/callback";
  public static final String ACCOUNT_ID = "5b1e0a7c-93f2-4d6e-a2c1-7f4d8e9b0c31";
  public static final String EMAIL = "codex-owner@example.com";
  public static final long EXPIRES_IN = 864_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final HttpServer server;
  /** Authorization codes not yet exchanged → their PKCE challenge. */
  private final Map<String, String> codes = new ConcurrentHashMap<>();
  private final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
  private final Set<String> usedRefreshTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger refreshCalls = new AtomicInteger();
  private final AtomicInteger exchangeCalls = new AtomicInteger();
  private final List<String> refreshTokensPresented = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private volatile long refreshDelayMillis;
  private volatile String lastAccessToken;
  private volatile String lastRefreshToken;

  public MockChatGptAuth() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mock-chatgpt-auth");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/oauth/token", this::token);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String tokenUrl() {
    return baseUrl() + "/oauth/token";
  }

  public String authorizeUrl() {
    return baseUrl() + "/oauth/authorize";
  }

  /** The config overrides that point a node at this server (client id and redirect stay the real ones). */
  public Map<String, Object> nodeConfig() {
    return Map.of("relay.accounts.codex-oauth.token-url", tokenUrl(),
        "relay.accounts.codex-oauth.authorize-url", authorizeUrl());
  }

  /**
   * What the browser does with an authorize URL once the user has logged in: checks it as the authorize
   * page would and returns the callback URL with a fresh code and the URL's state.
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

  /** A code bound to this PKCE challenge, as the authorize page issues after a login. */
  public String issueCode(String challenge) {
    String code = "ac_mock" + issued.incrementAndGet() + "." + B64URL.encodeToString(
        ("code-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
    codes.put(code, challenge);
    return code;
  }

  /** Makes a refresh token live, as if an earlier login had issued it. */
  public void acceptRefreshToken(String refreshToken) {
    liveRefreshTokens.add(refreshToken);
  }

  public void refreshDelay(long millis) {
    this.refreshDelayMillis = millis;
  }

  public int refreshCalls() {
    return refreshCalls.get();
  }

  public int exchangeCalls() {
    return exchangeCalls.get();
  }

  /** The refresh tokens presented to the refresh grant, in order. */
  public List<String> refreshTokensPresented() {
    return List.copyOf(refreshTokensPresented);
  }

  /** The content types of the token requests, in order. */
  public List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  public String lastAccessToken() {
    return lastAccessToken;
  }

  public String lastRefreshToken() {
    return lastRefreshToken;
  }

  public boolean refreshTokenLive(String token) {
    return liveRefreshTokens.contains(token);
  }

  /** An unsigned JWT ({@code alg: none}) with these claims. */
  public static String jwt(Map<String, Object> claims) {
    try {
      return B64URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
          + B64URL.encodeToString(JSON.writeValueAsBytes(claims)) + ".";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void token(HttpExchange ex) throws IOException {
    try (ex) {
      String contentType = String.valueOf(ex.getRequestHeaders().getFirst("content-type"));
      contentTypes.add(contentType);
      if (!ex.getRequestMethod().equals("POST") || !contentType.startsWith("application/x-www-form-urlencoded")) {
        send(ex, 400, error("invalid_request", "POST a form-encoded body"));
        return;
      }
      Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (!CLIENT_ID.equals(form.get("client_id"))) {
        send(ex, 401, error("invalid_client", "Unknown client_id."));
        return;
      }
      switch (String.valueOf(form.get("grant_type"))) {
        case "authorization_code" -> exchange(ex, form);
        case "refresh_token" -> refresh(ex, form);
        default -> send(ex, 400, error("unsupported_grant_type", "Unsupported grant_type."));
      }
    }
  }

  private void exchange(HttpExchange ex, Map<String, String> form) throws IOException {
    exchangeCalls.incrementAndGet();
    String challenge = codes.remove(String.valueOf(form.get("code")));
    if (challenge == null) {
      send(ex, 400, error("invalid_grant", "Invalid authorization code."));
      return;
    }
    if (!REDIRECT_URI.equals(form.get("redirect_uri"))) {
      send(ex, 400, error("invalid_grant", "redirect_uri does not match the authorization request."));
      return;
    }
    if (!challenge.equals(s256(String.valueOf(form.get("code_verifier"))))) {
      send(ex, 400, error("invalid_grant", "code_verifier does not match the code_challenge."));
      return;
    }
    send(ex, 200, tokens());
  }

  private void refresh(HttpExchange ex, Map<String, String> form) throws IOException {
    refreshCalls.incrementAndGet();
    String presented = String.valueOf(form.get("refresh_token"));
    refreshTokensPresented.add(presented);
    sleep(refreshDelayMillis);
    if (!liveRefreshTokens.remove(presented)) {
      if (usedRefreshTokens.contains(presented)) {
        send(ex, 401, error("refresh_token_reused", "Your refresh token has already been used to generate a new"
            + " access token. Please try signing in again."));
      } else {
        send(ex, 401, error("refresh_token_invalidated", "Your refresh token has been invalidated. Please try"
            + " signing in again."));
      }
      return;
    }
    usedRefreshTokens.add(presented);
    send(ex, 200, tokens());
  }

  private String tokens() {
    int n = issued.incrementAndGet();
    long now = System.currentTimeMillis() / 1000;
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("chatgpt_account_id", ACCOUNT_ID);
    auth.put("chatgpt_plan_type", "plus");
    auth.put("chatgpt_user_id", "user-mock1");
    auth.put("user_id", "user-mock1");
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("iss", "https://auth.openai.com");
    id.put("aud", List.of(CLIENT_ID));
    id.put("sub", "auth0|mock1");
    id.put("email", EMAIL);
    id.put("email_verified", true);
    id.put("iat", now);
    id.put("exp", now + 3600);
    id.put("https://api.openai.com/auth", auth);
    Map<String, Object> access = new LinkedHashMap<>();
    access.put("iss", "https://auth.openai.com");
    access.put("aud", List.of("https://api.openai.com/v1"));
    access.put("client_id", CLIENT_ID);
    access.put("exp", now + EXPIRES_IN);
    access.put("iat", now);
    access.put("jti", "mock-" + n);
    access.put("https://api.openai.com/auth", auth);
    String accessToken = jwt(access);
    String refreshToken = "rt_mock" + n + "." + B64URL.encodeToString(("refresh-" + n + "-" + System.nanoTime())
        .getBytes(StandardCharsets.US_ASCII));
    liveRefreshTokens.add(refreshToken);
    lastAccessToken = accessToken;
    lastRefreshToken = refreshToken;
    ObjectNode out = JSON.createObjectNode();
    out.put("id_token", jwt(id)).put("access_token", accessToken).put("refresh_token", refreshToken)
        .put("token_type", "Bearer").put("expires_in", EXPIRES_IN).put("scope", "openid profile email offline_access");
    return out.toString();
  }

  /** OpenAI's error object: {@code {"error":{"message","type","param","code"}}}. */
  private static String error(String code, String message) {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("error").put("message", message).put("type", "invalid_request_error").putNull("param")
        .put("code", code);
    return out.toString();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The decoded query parameters of a URL. */
  public static Map<String, String> query(String url) {
    String raw = URI.create(url).getRawQuery();
    return raw == null ? Map.of() : form(raw);
  }

  private static void require(boolean ok, String why) {
    if (!ok) {
      throw new IllegalArgumentException("authorize page: " + why);
    }
  }

  private static String s256(String verifier) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return B64URL.encodeToString(d);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
