package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock of Claude's OAuth server as Claude Code uses it: {@code POST /v1/oauth/token} (JSON body) for the
 * {@code authorization_code} grant with PKCE S256 checking and the {@code refresh_token} grant with
 * refresh-token rotation (a used refresh token is dead), and {@code GET /api/oauth/profile} for the
 * subscription. Errors are OAuth JSON ({@code {"error":"invalid_grant","error_description":…}}). Counts
 * token-endpoint calls per grant and can slow refreshes down to widen races.
 */
public final class MockOAuthServer implements AutoCloseable {
  public static final String CLIENT_ID = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
  public static final String REDIRECT_URI = "https://platform.claude.com/oauth/code/callback";

  private record PendingCode(String challenge, String scope) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
  /** Live refresh tokens → the scope they grant. */
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, Boolean> accessTokens = new ConcurrentHashMap<>();
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger refreshCalls = new AtomicInteger();
  private final AtomicInteger exchangeCalls = new AtomicInteger();
  private final List<String> refreshTokensPresented = new CopyOnWriteArrayList<>();
  private volatile long refreshDelayMillis;
  private volatile String lastAccessToken;
  private volatile String lastRefreshToken;
  private volatile String profileOrganizationType = "claude_max";

  public MockOAuthServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mock-oauth");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/oauth/token", this::token);
    server.createContext("/api/oauth/profile", this::profile);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String tokenUrl() {
    return baseUrl() + "/v1/oauth/token";
  }

  public String profileUrl() {
    return baseUrl() + "/api/oauth/profile";
  }

  /** The config overrides that point a node at this server. */
  public Map<String, Object> nodeConfig() {
    return Map.of("relay.accounts.oauth.token-url", tokenUrl(), "relay.accounts.oauth.profile-url", profileUrl(),
        "relay.accounts.oauth.authorize-url", baseUrl() + "/oauth/authorize");
  }

  /** What the authorize page would do after the login: a code bound to this PKCE challenge. */
  public String issueCode(String challenge, String scope) {
    String code = "code-" + issued.incrementAndGet();
    codes.put(code, new PendingCode(challenge, scope));
    return code;
  }

  /** Makes a refresh token live, as if an earlier login had issued it. */
  public void acceptRefreshToken(String refreshToken) {
    refreshTokens.put(refreshToken, "user:inference user:profile");
  }

  public void refreshDelay(long millis) {
    this.refreshDelayMillis = millis;
  }

  public void profileOrganizationType(String type) {
    this.profileOrganizationType = type;
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

  public String lastAccessToken() {
    return lastAccessToken;
  }

  public String lastRefreshToken() {
    return lastRefreshToken;
  }

  public boolean refreshTokenLive(String token) {
    return refreshTokens.containsKey(token);
  }

  private void token(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")
          || !String.valueOf(ex.getRequestHeaders().getFirst("content-type")).startsWith("application/json")) {
        send(ex, 400, error("invalid_request", "POST a JSON body"));
        return;
      }
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      if (!CLIENT_ID.equals(body.path("client_id").asText())) {
        send(ex, 400, error("invalid_client", "unknown client_id"));
        return;
      }
      switch (body.path("grant_type").asText()) {
        case "authorization_code" -> exchange(ex, body);
        case "refresh_token" -> refresh(ex, body);
        default -> send(ex, 400, error("unsupported_grant_type", "unsupported grant_type"));
      }
    }
  }

  private void exchange(HttpExchange ex, JsonNode body) throws IOException {
    exchangeCalls.incrementAndGet();
    PendingCode pending = codes.remove(body.path("code").asText());
    if (pending == null) {
      send(ex, 400, error("invalid_grant", "Invalid 'code' in request."));
      return;
    }
    if (!REDIRECT_URI.equals(body.path("redirect_uri").asText()) || body.path("state").asText().isEmpty()) {
      send(ex, 400, error("invalid_grant", "redirect_uri or state missing"));
      return;
    }
    if (!pending.challenge().equals(s256(body.path("code_verifier").asText()))) {
      send(ex, 400, error("invalid_grant", "code_verifier does not match the code_challenge"));
      return;
    }
    boolean setupToken = !pending.scope().contains("user:profile");
    send(ex, 200, tokens(pending.scope(), !setupToken, setupToken ? 31_536_000 : 28_800));
  }

  private void refresh(HttpExchange ex, JsonNode body) throws IOException {
    refreshCalls.incrementAndGet();
    String presented = body.path("refresh_token").asText();
    refreshTokensPresented.add(presented);
    sleep(refreshDelayMillis);
    String scope = refreshTokens.remove(presented);
    if (scope == null) {
      send(ex, 400, error("invalid_grant", "Refresh token not found or invalid"));
      return;
    }
    send(ex, 200, tokens(scope, true, 28_800));
  }

  private String tokens(String scope, boolean withRefresh, long expiresIn) {
    int n = issued.incrementAndGet();
    String access = "sk-ant-oat01-mock-" + n;
    accessTokens.put(access, Boolean.TRUE);
    lastAccessToken = access;
    ObjectNode out = JSON.createObjectNode();
    out.put("token_type", "Bearer").put("access_token", access).put("expires_in", expiresIn).put("scope", scope);
    if (withRefresh) {
      String refresh = "sk-ant-ort01-mock-" + n;
      refreshTokens.put(refresh, scope);
      lastRefreshToken = refresh;
      out.put("refresh_token", refresh);
    }
    out.putObject("organization").put("uuid", "org-uuid-1").put("name", "Mock Org");
    out.putObject("account").put("uuid", "acc-uuid-1").put("email_address", "owner@example.com");
    return out.toString();
  }

  private void profile(HttpExchange ex) throws IOException {
    try (ex) {
      String auth = String.valueOf(ex.getRequestHeaders().getFirst("authorization"));
      String token = auth.startsWith("Bearer ") ? auth.substring(7) : "";
      if (!accessTokens.containsKey(token)) {
        send(ex, 401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid bearer token\"}}");
        return;
      }
      ObjectNode out = JSON.createObjectNode();
      out.putObject("account").put("uuid", "acc-uuid-1").put("email", "owner@example.com")
          .put("has_claude_max", profileOrganizationType.contains("max"))
          .put("has_claude_pro", profileOrganizationType.contains("pro"));
      out.putObject("organization").put("uuid", "org-uuid-1").put("organization_type", profileOrganizationType)
          .put("rate_limit_tier", "default_claude_max_20x");
      send(ex, 200, out.toString());
    }
  }

  private static String error(String code, String description) {
    return "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}";
  }

  private static String s256(String verifier) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
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
