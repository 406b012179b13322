package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small OpenID Connect issuer for tests, on a JDK HTTP server: discovery
 * ({@code /.well-known/openid-configuration}), its JWKS ({@code /jwks}), an authorization endpoint that
 * approves at once and sends the browser back with a code (checking client, redirect URI, state, nonce and
 * a PKCE S256 challenge), and a token endpoint that checks the client secret (Basic or form), the redirect URI
 * and the PKCE verifier and answers an ID token signed with an RSA key (RS256).
 *
 * <p>Standalone use (a browser test): {@code new MockOidcIssuer()} listens on a free port of 127.0.0.1;
 * point the node at it with {@link #nodeConfig(String)} (or {@code RELAY_OIDC_ISSUER=}{@link #baseUrl()},
 * {@code RELAY_OIDC_CLIENT_ID=}{@link #CLIENT_ID}, {@code RELAY_OIDC_CLIENT_SECRET=}{@link #CLIENT_SECRET},
 * {@code RELAY_OIDC_ROLE_CLAIM=groups}); {@link #setClaims} chooses who the next logins are (by default
 * {@code alice}, group {@code relay-admins}); {@link #tamperNext} spoils the next ID token one way.
 */
public final class MockOidcIssuer implements AutoCloseable {
  public static final String CLIENT_ID = "relay-admin";
  public static final String CLIENT_SECRET = "mock-oidc-client-secret-7f3a9c1e5b";
  public static final String KEY_ID = "mock-oidc-key-1";

  /** One way to spoil the next ID token (or the next authorization). */
  public enum Tamper { WRONG_NONCE, WRONG_AUDIENCE, WRONG_ISSUER, UNKNOWN_KEY, EXPIRED, DENY }

  private record Pending(String clientId, String redirectUri, String challenge, String nonce,
      Map<String, Object> claims, Tamper tamper) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final String clientId;
  private final String clientSecret;
  private final RSAKey key;
  private final RSAKey strangerKey;
  private final Map<String, Pending> codes = new ConcurrentHashMap<>();
  private final AtomicReference<Map<String, Object>> claims = new AtomicReference<>(defaultClaims());
  private final AtomicReference<Tamper> tamper = new AtomicReference<>();
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

  /** On a free port, with {@link #CLIENT_ID} and {@link #CLIENT_SECRET}. */
  public MockOidcIssuer() throws IOException {
    this(0, CLIENT_ID, CLIENT_SECRET);
  }

  /** On {@code port} (0: a free one); an empty {@code clientSecret} makes a public client (PKCE only). */
  public MockOidcIssuer(int port, String clientId, String clientSecret) throws IOException {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    try {
      key = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
      strangerKey = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mock-oidc");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/.well-known/openid-configuration", this::discovery);
    server.createContext("/jwks", ex -> send(ex, 200, "application/json", new JWKSet(key.toPublicJWK()).toString()));
    server.createContext("/authorize", this::authorize);
    server.createContext("/token", this::token);
    server.start();
  }

  /** The issuer identifier, also its base URL. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The node's settings for this issuer, as config overrides (the environment names are in the class doc). */
  public Map<String, Object> nodeConfig(String roleMap) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("relay.oidc.issuer", baseUrl());
    cfg.put("relay.oidc.client-id", clientId);
    cfg.put("relay.oidc.client-secret", clientSecret);
    cfg.put("relay.oidc.role-claim", "groups");
    cfg.put("relay.oidc.role-map", roleMap);
    cfg.put("relay.oidc.label", "Mock SSO");
    return cfg;
  }

  /** The claims of the ID tokens of the logins from now on ({@code sub} and {@code preferred_username} at least). */
  public void setClaims(Map<String, Object> next) {
    claims.set(new LinkedHashMap<>(next));
  }

  /** {@code sub}, name and groups of the logins from now on. */
  public void setUser(String subject, String username, List<String> groups) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("sub", subject);
    c.put("preferred_username", username);
    c.put("email", username + "@example.test");
    c.put("groups", groups);
    setClaims(c);
  }

  /** Spoils the next login only. */
  public void tamperNext(Tamper how) {
    tamper.set(how);
  }

  /** The raw bodies and Authorization headers the token endpoint received, for checks. */
  public List<String> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  private static Map<String, Object> defaultClaims() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("sub", "alice-subject");
    c.put("preferred_username", "alice");
    c.put("email", "alice@example.test");
    c.put("groups", List.of("relay-admins"));
    return c;
  }

  private void discovery(HttpExchange ex) throws IOException {
    ObjectNode d = JSON.createObjectNode();
    d.put("issuer", baseUrl());
    d.put("authorization_endpoint", baseUrl() + "/authorize");
    d.put("token_endpoint", baseUrl() + "/token");
    d.put("jwks_uri", baseUrl() + "/jwks");
    d.putArray("response_types_supported").add("code");
    d.putArray("subject_types_supported").add("public");
    d.putArray("id_token_signing_alg_values_supported").add("RS256");
    d.putArray("code_challenge_methods_supported").add("S256");
    d.putArray("token_endpoint_auth_methods_supported").add("client_secret_basic").add("client_secret_post")
        .add("none");
    send(ex, 200, "application/json", d.toString());
  }

  private void authorize(HttpExchange ex) throws IOException {
    Map<String, String> q = form(ex.getRequestURI().getRawQuery());
    String redirect = q.get("redirect_uri");
    if (!clientId.equals(q.get("client_id")) || redirect == null || !redirect.matches("https?://.+")
        || !"code".equals(q.get("response_type")) || !"S256".equals(q.get("code_challenge_method"))
        || q.get("code_challenge") == null || q.get("state") == null || q.get("nonce") == null
        || !(" " + q.getOrDefault("scope", "") + " ").contains(" openid ")) {
      send(ex, 400, "text/plain", "bad authorization request: " + q.keySet());
      return;
    }
    Tamper how = tamper.getAndSet(null);
    String back = redirect + (redirect.contains("?") ? "&" : "?");
    if (how == Tamper.DENY) {
      back += "error=access_denied&state=" + enc(q.get("state"));
    } else {
      String code = UUID.randomUUID().toString();
      codes.put(code, new Pending(q.get("client_id"), redirect, q.get("code_challenge"), q.get("nonce"),
          claims.get(), how));
      back += "code=" + enc(code) + "&state=" + enc(q.get("state"));
    }
    ex.getResponseHeaders().add("location", back);
    send(ex, 302, "text/plain", "");
  }

  private void token(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String auth = ex.getRequestHeaders().getFirst("authorization");
    tokenRequests.add((auth == null ? "" : auth + "\n") + body);
    Map<String, String> f = form(body);
    if (!clientAuthenticated(auth, f)) {
      send(ex, 401, "application/json", "{\"error\":\"invalid_client\"}");
      return;
    }
    Pending p = f.get("code") == null ? null : codes.remove(f.get("code"));
    if (!"authorization_code".equals(f.get("grant_type")) || p == null || !p.redirectUri().equals(f.get("redirect_uri"))
        || f.get("code_verifier") == null || !p.challenge().equals(s256(f.get("code_verifier")))) {
      send(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}");
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("access_token", UUID.randomUUID().toString());
    out.put("token_type", "Bearer");
    out.put("expires_in", 300);
    out.put("id_token", idToken(p));
    send(ex, 200, "application/json", out.toString());
  }

  private boolean clientAuthenticated(String auth, Map<String, String> f) {
    if (auth != null && auth.startsWith("Basic ")) {
      String[] pair = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).split(":", 2);
      return pair.length == 2 && dec(pair[0]).equals(clientId) && dec(pair[1]).equals(clientSecret);
    }
    if (f.containsKey("client_secret")) {
      return clientId.equals(f.get("client_id")) && clientSecret.equals(f.get("client_secret"));
    }
    return clientSecret.isEmpty() && clientId.equals(f.get("client_id"));
  }

  private String idToken(Pending p) {
    long now = System.currentTimeMillis();
    JWTClaimsSet.Builder c = new JWTClaimsSet.Builder();
    p.claims().forEach(c::claim);
    c.issuer(p.tamper() == Tamper.WRONG_ISSUER ? baseUrl() + "/other" : baseUrl())
        .audience(p.tamper() == Tamper.WRONG_AUDIENCE ? "another-client" : p.clientId())
        .issueTime(new Date(now - (p.tamper() == Tamper.EXPIRED ? 3_600_000 : 0)))
        .expirationTime(new Date(p.tamper() == Tamper.EXPIRED ? now - 600_000 : now + 300_000))
        .claim("nonce", p.tamper() == Tamper.WRONG_NONCE ? "not-the-nonce-that-was-sent" : p.nonce());
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(), c.build());
      jwt.sign(new RSASSASigner(p.tamper() == Tamper.UNKNOWN_KEY ? strangerKey : key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(dec(pair.substring(0, eq)), dec(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("content-type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
