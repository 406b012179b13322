package dev.relaycluster.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock of WorkOS User Management as Factory's Droid CLI logs in with it (RFC 8628 device flow, public client):
 * {@code POST /user_management/authorize/device} (form {@code client_id}) answers a device code, a user code and
 * the verification pages, {@code interval: 1}; {@code POST /user_management/authenticate} with the device-code
 * grant answers {@code 400 authorization_pending} until the test {@link #approve}s the login (or
 * {@code access_denied} after {@link #deny}), then the tokens once ({@code organization_id}, the access token a
 * JWT whose {@code exp} is the expiry the test set, with {@code org_id} and {@code email}); with the refresh grant
 * it checks the refresh token (single use), the client id and the organisation, and answers new tokens. Forms
 * are {@code application/x-www-form-urlencoded}, errors {@code {"error","error_description"}} as WorkOS sends.
 */
public final class MockWorkOs implements AutoCloseable {
  public static final String CLIENT_ID = "client_01HNM792M5G5G1A2THWPXKFMXB";
  public static final String ORGANIZATION = "org_01JMOCKFACTORY";
  public static final String EMAIL = "dev@example.com";
  public static final String USER_CODE = "WDJB-MJHT";

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mock-workos");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, String> deviceCodes = new HashMap<>(); // device code → "pending" | "approved" | "denied" | "used"
  private final Map<String, Boolean> refreshTokens = new HashMap<>(); // refresh token → still usable
  private final List<String> accessTokens = Collections.synchronizedList(new ArrayList<>());
  private final List<Map<String, String>> refreshForms = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger polls = new AtomicInteger();
  private volatile long expirySeconds = System.currentTimeMillis() / 1000 + 3600;

  public MockWorkOs() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The access tokens issued so far, in order. */
  public List<String> accessTokens() {
    synchronized (accessTokens) {
      return List.copyOf(accessTokens);
    }
  }

  /** The refresh grants received, as forms. */
  public List<Map<String, String>> refreshForms() {
    synchronized (refreshForms) {
      return List.copyOf(refreshForms);
    }
  }

  /** How many device-code polls arrived. */
  public int polls() {
    return polls.get();
  }

  /** The {@code exp} (epoch seconds) of the access tokens issued from now on. */
  public void expiry(long epochSeconds) {
    expirySeconds = epochSeconds;
  }

  /** The user approved every pending login. */
  public synchronized void approve() {
    deviceCodes.replaceAll((code, state) -> state.equals("pending") ? "approved" : state);
  }

  /** The user denied every pending login. */
  public synchronized void deny() {
    deviceCodes.replaceAll((code, state) -> state.equals("pending") ? "denied" : state);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String path = ex.getRequestURI().getPath();
      if (!ex.getRequestMethod().equals("POST")) {
        send(ex, 405, "{\"message\":\"Method Not Allowed\"}");
      } else if (!CLIENT_ID.equals(form.get("client_id"))) {
        send(ex, 400, error("invalid_client", "Invalid client ID."));
      } else if (path.equals("/user_management/authorize/device")) {
        String code = UUID.randomUUID().toString();
        synchronized (this) {
          deviceCodes.put(code, "pending");
        }
        send(ex, 200, "{\"device_code\":\"" + code + "\",\"user_code\":\"" + USER_CODE + "\","
            + "\"verification_uri\":\"https://auth.factory.ai/device\",\"verification_uri_complete\":"
            + "\"https://auth.factory.ai/device?user_code=" + USER_CODE + "\",\"expires_in\":300,\"interval\":1}");
      } else if (path.equals("/user_management/authenticate")) {
        authenticate(ex, form);
      } else {
        send(ex, 404, "{\"message\":\"Not Found\"}");
      }
    }
  }

  private void authenticate(HttpExchange ex, Map<String, String> form) throws IOException {
    String grant = form.getOrDefault("grant_type", "");
    if (grant.equals("urn:ietf:params:oauth:grant-type:device_code")) {
      polls.incrementAndGet();
      String state;
      synchronized (this) {
        state = deviceCodes.get(form.get("device_code"));
        if ("approved".equals(state)) {
          deviceCodes.put(form.get("device_code"), "used");
        }
      }
      if (state == null || state.equals("used")) {
        send(ex, 400, error("invalid_grant", "The device code is invalid."));
      } else if (state.equals("pending")) {
        send(ex, 400, error("authorization_pending", "The authorization request is still pending."));
      } else if (state.equals("denied")) {
        send(ex, 400, error("access_denied", "The user denied the authorization request."));
      } else {
        send(ex, 200, tokens());
      }
    } else if (grant.equals("refresh_token")) {
      refreshForms.add(form);
      boolean usable;
      synchronized (this) {
        usable = Boolean.TRUE.equals(refreshTokens.get(form.get("refresh_token")));
        if (usable) {
          refreshTokens.put(form.get("refresh_token"), false);
        }
      }
      if (!usable) {
        send(ex, 400, error("invalid_grant", "The refresh token is invalid or has been used."));
      } else if (!ORGANIZATION.equals(form.get("organization_id"))) {
        send(ex, 400, error("invalid_grant", "The organization is not part of this session."));
      } else {
        send(ex, 200, tokens());
      }
    } else {
      send(ex, 400, error("unsupported_grant_type", "Unsupported grant type."));
    }
  }

  /** A fresh pair: the access token a JWT (signature not checked by the relay), the refresh token opaque. */
  private synchronized String tokens() {
    String access = jwt("{\"sub\":\"user_01JMOCK\",\"org_id\":\"" + ORGANIZATION + "\",\"email\":\"" + EMAIL
        + "\",\"sid\":\"session_01JMOCK\",\"exp\":" + expirySeconds + ",\"iat\":" + System.currentTimeMillis() / 1000
        + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
    String refresh = "rt_" + UUID.randomUUID().toString().replace("-", "");
    refreshTokens.put(refresh, true);
    accessTokens.add(access);
    return "{\"user\":{\"object\":\"user\",\"id\":\"user_01JMOCK\",\"email\":\"" + EMAIL + "\"},"
        + "\"organization_id\":\"" + ORGANIZATION + "\",\"access_token\":\"" + access + "\",\"refresh_token\":\""
        + refresh + "\",\"authentication_method\":\"GoogleOAuth\"}";
  }

  private static String jwt(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"sso_oidc_key_pair_mock\"}"
        .getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString("not-a-real-signature".getBytes(StandardCharsets.UTF_8));
  }

  private static String error(String code, String description) {
    return "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
