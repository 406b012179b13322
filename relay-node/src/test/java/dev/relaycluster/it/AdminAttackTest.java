package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * The admin API against an attacker, and secrets against the logs: forged, malformed, expired and logged-out
 * session tokens and a relay key used as an admin token are all refused; the admin API answers no
 * cross-origin preflight; the UI carries its security headers; and every secret the test creates (upstream
 * API keys and OAuth tokens, a proxy password, relay keys, the admin password) appears in no GET answer of
 * the admin API and in no log line of the whole run; a password guessed from one address is refused after a few
 * tries, while the owner's right password from another address still gets in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminAttackTest {
  /** Wrong passwords the brute-force step sends for the owner from one address. */
  private static final int GUESSES = 30;

  private static final ObjectMapper JSON = new ObjectMapper();

  private MockAnthropic mock;
  private TestNode node;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> secrets = new ArrayList<>();
  /** The figures of the run, written as this test's section of RELIABILITY.md when it ends. */
  private String secretsFigure;
  private String bruteForceFigure;

  @BeforeAll
  void start() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    // The per-request lines (off in the plain format) are read too.
    ((Logger) LoggerFactory.getLogger("relay.requests")).setLevel(ch.qos.logback.classic.Level.INFO);
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-admin-attack-"),
        Map.of("relay.admin.session-ttl", "3s"));
    secrets.add(TestNode.ADMIN_PASSWORD);
  }

  @AfterAll
  void stop() throws Exception {
    if (secretsFigure != null || bruteForceFigure != null) {
      dev.relaycluster.reliability.Reliability.write("secrets", "Secrets in answers and logs (AdminAttackTest)",
          (secretsFigure == null ? "" : secretsFigure) + (bruteForceFigure == null ? "" : "\n\n" + bruteForceFigure));
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    ((Logger) LoggerFactory.getLogger("relay.requests")).setLevel(null);
    if (node != null) {
      node.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  /** A new admin session (the node's sessions live 3 s here, so none is kept). */
  private String fresh() throws Exception {
    HttpResponse<String> r = node.post("/admin/api/login", JSON.createObjectNode().put("username", "admin")
        .put("password", TestNode.ADMIN_PASSWORD), null);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("token").asText();
  }

  private JsonNode call(String method, String path, JsonNode body) throws Exception {
    HttpResponse<String> r = node.send(method, path, body, fresh());
    assertTrue(r.statusCode() < 300, method + " " + path + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  private JsonNode createKey(String name) throws Exception {
    return call("POST", "/admin/api/keys", JSON.createObjectNode().put("name", name));
  }

  private HttpResponse<String> get(String path, String bearer, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET();
    if (bearer != null) {
      b.header("authorization", "Bearer " + bearer);
    }
    headers.forEach(b::header);
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void tokensThatAreNotLiveSessionsAreRefused() throws Exception {
    String relayKey = createKey("not-an-admin").get("key").asText();
    secrets.add(relayKey);
    for (String forged : List.of("0".repeat(64), UUID.randomUUID().toString(), "../../etc/passwd", relayKey,
        TestNode.ADMIN_PASSWORD)) {
      HttpResponse<String> r = get("/admin/api/keys", forged, Map.of());
      assertEquals(401, r.statusCode(), forged + ": " + r.body());
      assertEquals("authentication_error", JSON.readTree(r.body()).at("/error/type").asText());
    }
    String token = fresh();
    assertEquals(200, get("/admin/api/keys", token, Map.of()).statusCode());
    assertEquals(200, node.send("POST", "/admin/api/logout", null, token).statusCode());
    assertEquals(401, get("/admin/api/keys", token, Map.of()).statusCode(), "a logged-out token is dead");
    String expiring = fresh();
    assertEquals(200, get("/admin/api/keys", expiring, Map.of()).statusCode());
    Thread.sleep(3_500);
    assertEquals(401, get("/admin/api/keys", expiring, Map.of()).statusCode(), "an expired session is dead");
  }

  @Test
  void noCrossOriginAccessAndTheUiCarriesItsSecurityHeaders() throws Exception {
    HttpResponse<String> preflight = node.http().send(HttpRequest.newBuilder(
            URI.create(node.baseUrl() + "/admin/api/keys"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("origin", "https://evil.example")
        .header("access-control-request-method", "GET").header("access-control-request-headers", "authorization")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(preflight.headers().firstValue("access-control-allow-origin").isEmpty(), preflight.headers().toString());
    HttpResponse<String> cross = get("/admin/api/keys", fresh(), Map.of("origin", "https://evil.example"));
    assertTrue(cross.headers().firstValue("access-control-allow-origin").isEmpty(), cross.headers().toString());
    HttpResponse<String> ui = get("/admin/", null, Map.of());
    assertEquals(200, ui.statusCode());
    assertTrue(ui.headers().firstValue("content-security-policy").orElse("").contains("frame-ancestors 'none'"));
    assertEquals("nosniff", ui.headers().firstValue("x-content-type-options").orElse(null));
  }

  @Test
  void noSecretReachesAGetAnswerOrALogLine() throws Exception {
    String consoleKey = "sk-ant-api03-" + UUID.randomUUID();
    String accessToken = "sk-ant-oat01-" + UUID.randomUUID();
    String refreshToken = "sk-ant-ort01-" + UUID.randomUUID();
    String proxyPassword = "proxy-pw-" + UUID.randomUUID();
    secrets.addAll(List.of(consoleKey, accessToken, refreshToken, proxyPassword));
    String console = call("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", "secret-console")
        .put("type", "claude-console").put("baseUrl", mock.baseUrl()).put("apiKey", consoleKey).put("priority", 1))
        .get("id").asText();
    ObjectNode oauth = JSON.createObjectNode().put("name", "secret-oauth").put("type", "claude-oauth")
        .put("baseUrl", mock.baseUrl()).put("accessToken", accessToken).put("refreshToken", refreshToken)
        .put("expiresAt", System.currentTimeMillis() + 3_600_000).put("priority", 5);
    String oauthId = call("POST", "/admin/api/accounts", oauth).get("id").asText();
    // A proxy that does not exist: the account's calls fail, and the failures are logged.
    call("PATCH", "/admin/api/accounts/" + oauthId, JSON.createObjectNode()
        .put("proxy", "http://relay-user:" + proxyPassword + "@127.0.0.1:9"));
    JsonNode key = createKey("secret-holder");
    secrets.add(key.get("key").asText());
    // Requests that succeed, fail upstream, and are refused.
    mock.script(consoleKey, MockAnthropic.Scripted.unauthorized());
    for (int i = 0; i < 3; i++) {
      RelayCall.call(node.baseUrl(), key.get("key").asText(), i % 2 == 0, "claude-sonnet-4-5", null);
    }
    RelayCall.call(node.baseUrl(), key.get("key").asText() + "x", false, "claude-sonnet-4-5", null);
    node.post("/admin/api/accounts/" + oauthId + "/test", null, fresh());

    List<String> answers = new ArrayList<>();
    String token = fresh();
    for (String path : List.of("/admin/api/accounts", "/admin/api/accounts/" + console,
        "/admin/api/accounts/" + oauthId, "/admin/api/keys", "/admin/api/keys/" + key.get("id").asText(),
        "/admin/api/usage/requests?limit=1000", "/admin/api/cluster", "/health")) {
      HttpResponse<String> r = get(path, token, Map.of());
      assertEquals(200, r.statusCode(), path + ": " + r.body());
      answers.add(path + " " + r.headers() + " " + r.body());
    }
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      lines.add(e.getFormattedMessage() + (e.getKeyValuePairs() == null ? "" : " " + e.getKeyValuePairs())
          + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
    assertTrue(lines.size() > 10, "the run logged: " + lines.size());
    for (String secret : secrets) {
      for (String answer : answers) {
        assertFalse(answer.contains(secret), "a secret in a GET answer: " + answer);
      }
      for (String line : lines) {
        assertFalse(line.contains(secret), "a secret in the log: " + line);
      }
    }
    secretsFigure = "| secrets created | GET answers read | log lines read | secrets found |\n|---|---|---|---|\n| "
        + secrets.size() + " | " + answers.size() + " | " + lines.size() + " | 0 |\n\n"
        + "Forged, malformed, expired and logged-out session tokens, a relay key and the admin password used as "
        + "admin tokens: all refused (401). No cross-origin preflight answered on the admin API.";
  }

  /**
   * A login over a connection from this loopback address (127.0.0.2, …: each is another client to the node);
   * the status and the answer's body.
   */
  private String[] loginFrom(String address, String password) throws Exception {
    URI base = URI.create(node.baseUrl());
    byte[] body = JSON.createObjectNode().put("username", "admin").put("password", password).toString()
        .getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(address, 0));
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /admin/api/login HTTP/1.1\r\nhost: " + base.getHost() + ":" + base.getPort()
          + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length + "\r\nconnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new String[] {answer.substring(9, 12), answer.substring(answer.indexOf("\r\n\r\n") + 4)};
    }
  }

  /** Last, as its failures slow the owner's further logins a little for the window. */
  @Test
  @Order(Integer.MAX_VALUE)
  void aPasswordGuessedFromOneAddressIsRefusedAndTheOwnerStillGetsInFromAnother() throws Exception {
    String attacker = "127.0.0.3";
    int wrong = 0;
    int refused = 0;
    for (int i = 0; i < GUESSES; i++) {
      String[] r = loginFrom(attacker, "guess-" + i + "-" + UUID.randomUUID());
      assertTrue(r[0].equals("401") || r[0].equals("429"), r[0] + " " + r[1]);
      assertFalse(r[1].contains("\"token\""), r[1]);
      wrong += r[0].equals("401") ? 1 : 0;
      refused += r[0].equals("429") ? 1 : 0;
    }
    assertTrue(refused > 0 && wrong < GUESSES, "the guesses were throttled: " + wrong + " checked");
    String[] fromAttacker = loginFrom(attacker, TestNode.ADMIN_PASSWORD);
    assertEquals("429", fromAttacker[0], "the guessing address is refused even with the right password");
    String[] owner = loginFrom("127.0.0.2", TestNode.ADMIN_PASSWORD);
    assertEquals("200", owner[0], owner[1]);
    String token = JSON.readTree(owner[1]).get("token").asText();
    assertEquals(200, get("/admin/api/keys", token, Map.of()).statusCode(), "the owner's session works");
    bruteForceFigure = "| wrong passwords for the owner from one address | checked (401) | refused (429) | the right "
        + "password from that address | the right password from another address |\n|---|---|---|---|---|\n| "
        + GUESSES + " | " + wrong + " | " + refused + " | " + fromAttacker[0] + " | " + owner[0] + " (signed in) |";
  }
}
