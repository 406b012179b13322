package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.admin.Totp;
import dev.relaycluster.testing.MockOidcIssuer;
import dev.relaycluster.testing.MockOidcIssuer.Tamper;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Admin sign-on with OpenID Connect through a node (embedded default) against {@link MockOidcIssuer}, with
 * password login turned off: the browser's steps are taken one by one with an HTTP client that follows no
 * redirect (start → the issuer's authorization → callback → code exchange), the session works with the
 * mapped role, and every way a sign-on can be wrong is refused: state, nonce, audience, issuer, signature,
 * expiry, a refusal at the issuer, an unmapped group, a taken name, a disabled admin. The client secret is in
 * no GET answer and no log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcLoginTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE_MAP = "relay-owners=owner,relay-admins=admin,relay-viewers=viewer";

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> answers = new ArrayList<>();
  private MockOidcIssuer issuer;
  private TestNode node;
  private String ownerToken;

  @BeforeAll
  void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    issuer = new MockOidcIssuer();
    Map<String, Object> cfg = new HashMap<>(issuer.nodeConfig(ROLE_MAP));
    cfg.put("relay.oidc.password-login", "off");
    node = TestNode.embedded(Files.createTempDirectory("relay-oidc-"), cfg);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (node != null) {
      node.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @Test
  @Order(1)
  void theLoginPageLearnsTheWaysIn() throws Exception {
    HttpResponse<String> r = get(node.baseUrl() + "/admin/api/login/options");
    assertEquals(200, r.statusCode());
    JsonNode options = JSON.readTree(r.body());
    assertFalse(options.path("password").asBoolean(true), r.body());
    assertTrue(options.path("oidc").path("enabled").asBoolean(), r.body());
    assertEquals("Mock SSO", options.path("oidc").path("label").asText());
  }

  @Test
  @Order(2)
  void passwordLoginIsRefusedWhenTurnedOff() throws Exception {
    HttpResponse<String> r = AdminLogins.login(node, TestNode.ADMIN_USER, TestNode.ADMIN_PASSWORD);
    assertEquals(403, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertEquals("permission_error", error.path("type").asText());
    assertTrue(error.path("message").asText().contains("password login is turned off"), r.body());
  }

  @Test
  @Order(3)
  void anOwnerSignsOnAndTheCodeWorksOnce() throws Exception {
    issuer.setUser("sub-olivia", "olivia", List.of("relay-owners", "unrelated"));
    String code = ssoCode(signOn());
    JsonNode session = exchange(code);
    ownerToken = session.path("token").asText();
    assertEquals("olivia", session.path("username").asText());
    assertEquals("owner", session.path("role").asText());
    JsonNode me = me(ownerToken);
    assertEquals("olivia", me.path("username").asText());
    assertEquals("owner", me.path("role").asText());
    // The code is spent; a made-up one is unknown; both in the admin error shape.
    HttpResponse<String> again = node.post("/admin/api/oidc/exchange", JSON.createObjectNode().put("code", code), null);
    assertEquals(401, again.statusCode());
    assertEquals("authentication_error", JSON.readTree(again.body()).path("error").path("type").asText());
    assertEquals(401, node.post("/admin/api/oidc/exchange", JSON.createObjectNode().put("code", "f".repeat(64)), null)
        .statusCode());
    HttpResponse<String> empty = node.post("/admin/api/oidc/exchange", JSON.createObjectNode(), null);
    assertEquals(400, empty.statusCode());
    assertEquals("invalid_request_error", JSON.readTree(empty.body()).path("error").path("type").asText());
    // The sign-on is in the audit log.
    JsonNode audit = JSON.readTree(get(node.baseUrl() + "/admin/api/audit?actor=olivia", ownerToken).body());
    assertTrue(audit.toString().contains("\"logged-in\"") && audit.toString().contains("oidc"), audit.toString());
  }

  @Test
  @Order(4)
  void theRoleFollowsTheGroupsAndTheSubjectKeepsTheName() throws Exception {
    issuer.setUser("sub-alice", "alice", List.of("relay-admins"));
    assertEquals("admin", me(exchange(ssoCode(signOn())).path("token").asText()).path("role").asText());
    // Moved to viewers at the issuer and renamed there: the same admin, now a viewer.
    issuer.setUser("sub-alice", "alice-renamed", List.of("relay-viewers"));
    JsonNode me = me(exchange(ssoCode(signOn())).path("token").asText());
    assertEquals("alice", me.path("username").asText());
    assertEquals("viewer", me.path("role").asText());
    String audit = get(node.baseUrl() + "/admin/api/audit?actor=alice", ownerToken).body();
    assertTrue(audit.contains("\"created\"") && audit.contains("admin, oidc"), audit);
    assertTrue(audit.contains("\"role-changed\"") && audit.contains("viewer, oidc"), audit);
  }

  @Test
  @Order(5)
  void spoiledIdTokensAreRefused() throws Exception {
    issuer.setUser("sub-carol", "carol", List.of("relay-admins"));
    for (Tamper how : List.of(Tamper.WRONG_NONCE, Tamper.WRONG_AUDIENCE, Tamper.WRONG_ISSUER, Tamper.UNKNOWN_KEY,
        Tamper.EXPIRED)) {
      issuer.tamperNext(how);
      assertEquals("/admin/#/login?sso_error=invalid", signOn(), how.name());
    }
    issuer.tamperNext(Tamper.DENY);
    assertEquals("/admin/#/login?sso_error=denied", signOn());
    assertEquals(404, get(node.baseUrl() + "/admin/api/admins/carol", ownerToken).statusCode(),
        "no admin was made by a refused sign-on");
  }

  @Test
  @Order(6)
  void theStateMustBeThisLogins() throws Exception {
    issuer.setUser("sub-dave", "dave", List.of("relay-admins"));
    String callbackA = atIssuer(startLocation());
    String callbackB = atIssuer(startLocation());
    // An unknown state, and A's state with B's code (B's PKCE challenge does not match A's verifier).
    assertEquals("/admin/#/login?sso_error=expired",
        location(get(callbackA.replaceFirst("state=[^&]+", "state=forged"))));
    String codeB = query(callbackB, "code");
    assertEquals("/admin/#/login?sso_error=invalid",
        location(get(callbackA.replaceFirst("code=[^&]+", "code=" + codeB))));
    // A's state is spent now; B's is whole but its code was used (one use at the issuer).
    assertEquals("/admin/#/login?sso_error=expired", location(get(callbackA)));
    assertEquals("/admin/#/login?sso_error=invalid", location(get(callbackB)));
    assertEquals("/admin/#/login?sso_error=expired",
        location(get(node.baseUrl() + "/admin/api/oidc/callback?code=x")));
  }

  @Test
  @Order(7)
  void anUnmappedGroupOrATakenNameIsRefused() throws Exception {
    issuer.setUser("sub-bob", "bob", List.of("marketing"));
    assertEquals("/admin/#/login?sso_error=no_role", signOn());
    assertEquals(404, get(node.baseUrl() + "/admin/api/admins/bob", ownerToken).statusCode());
    // The bootstrap admin made with a password is not anyone's whose name claim says "admin".
    issuer.setUser("sub-mallory", TestNode.ADMIN_USER, List.of("relay-owners"));
    assertEquals("/admin/#/login?sso_error=name_taken", signOn());
  }

  @Test
  @Order(8)
  void aDisabledAdminIsRefused() throws Exception {
    HttpResponse<String> r = node.send("PATCH", "/admin/api/admins/alice",
        JSON.createObjectNode().put("disabled", true), ownerToken);
    assertEquals(200, r.statusCode(), r.body());
    issuer.setUser("sub-alice", "alice", List.of("relay-admins"));
    assertEquals("/admin/#/login?sso_error=disabled", signOn());
    JsonNode audit = JSON.readTree(get(node.baseUrl() + "/admin/api/audit?actor=alice", ownerToken).body());
    assertTrue(audit.toString().contains("oidc: disabled"), audit.toString());
  }

  @Test
  @Order(9)
  void theClientSecretIsUsedButNeverShown() throws Exception {
    answers.add(get(node.baseUrl() + "/admin/api/admins", ownerToken).body());
    assertTrue(issuer.tokenRequests().stream().allMatch(t -> t.startsWith("Basic ")),
        "the node authenticates to the token endpoint with the secret");
    assertTrue(answers.size() > 20, "answers read: " + answers.size());
    for (String a : answers) {
      assertFalse(a.contains(MockOidcIssuer.CLIENT_SECRET), a);
    }
    for (ILoggingEvent e : logs.list) {
      assertFalse(e.getFormattedMessage().contains(MockOidcIssuer.CLIENT_SECRET), e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        assertFalse(e.getThrowableProxy().getMessage() != null
            && e.getThrowableProxy().getMessage().contains(MockOidcIssuer.CLIENT_SECRET));
      }
    }
  }

  @Test
  @Order(10)
  void theOwnersTwoFactorRequirementDoesNotLimitASignOnSession() throws Exception {
    // The owner enrols a TOTP (an owner without one may not require it), then requires two-factor for everyone.
    HttpResponse<String> start = node.send("POST", "/admin/api/me/totp", null, ownerToken);
    assertEquals(200, start.statusCode(), start.body());
    byte[] secret = Base32.decode(JSON.readTree(start.body()).path("secret").asText());
    HttpResponse<String> confirmed = node.send("POST", "/admin/api/me/totp/confirm",
        JSON.createObjectNode().put("code", new Totp().code(secret, Instant.now())), ownerToken);
    assertEquals(200, confirmed.statusCode(), confirmed.body());
    HttpResponse<String> on = node.send("PATCH", "/admin/api/settings/security",
        JSON.createObjectNode().put("requireTwoFactor", true), ownerToken);
    assertEquals(200, on.statusCode(), on.body());
    try {
      // An admin the issuer vouched for, with no TOTP of the relay's own, gets a full session.
      issuer.setUser("sub-sam", "sam", List.of("relay-admins"));
      String sam = exchange(ssoCode(signOn())).path("token").asText();
      assertFalse(me(sam).path("enrolmentRequired").asBoolean(), me(sam).toString());
      assertEquals(200, get(node.baseUrl() + "/admin/api/keys", sam).statusCode());
    } finally {
      node.send("PATCH", "/admin/api/settings/security", JSON.createObjectNode().put("requireTwoFactor", false),
          ownerToken);
    }
  }

  /** The browser's way through: start, the issuer, the callback; answers where the callback sent it. */
  private String signOn() throws Exception {
    return location(get(atIssuer(startLocation())));
  }

  private String startLocation() throws Exception {
    HttpResponse<String> start = get(node.baseUrl() + "/admin/api/oidc/start");
    assertEquals(302, start.statusCode(), start.body());
    String authorize = location(start);
    assertTrue(authorize.startsWith(issuer.baseUrl() + "/authorize?"), authorize);
    assertTrue(authorize.contains("code_challenge_method=S256") && authorize.contains("nonce="), authorize);
    return authorize;
  }

  /** The issuer approves; answers the callback URL on the node it sends the browser to. */
  private String atIssuer(String authorize) throws Exception {
    HttpResponse<String> r = get(authorize);
    assertEquals(302, r.statusCode(), r.body());
    String callback = location(r);
    assertTrue(callback.startsWith(node.baseUrl() + "/admin/api/oidc/callback?"), callback);
    return callback;
  }

  private JsonNode exchange(String code) throws Exception {
    HttpResponse<String> r = node.post("/admin/api/oidc/exchange", JSON.createObjectNode().put("code", code), null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode out = JSON.readTree(r.body());
    assertTrue(out.path("token").asText().matches("[0-9a-f]{64}"), r.body());
    return out;
  }

  private JsonNode me(String token) throws Exception {
    HttpResponse<String> r = get(node.baseUrl() + "/admin/api/me", token);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static String ssoCode(String loginPage) {
    assertTrue(loginPage.matches("/admin/#/login\\?sso=[0-9a-f]{64}"), loginPage);
    return loginPage.substring(loginPage.indexOf("sso=") + 4);
  }

  private static String query(String url, String name) {
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new AssertionError(name + " not in " + url);
  }

  private static String location(HttpResponse<String> r) {
    assertEquals(302, r.statusCode(), r.body());
    return r.headers().firstValue("location").orElseThrow();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return get(url, null);
  }

  /** A GET, whose answer (headers and body) is kept for the scan for the client secret. */
  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    HttpResponse<String> r = node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    answers.add(r.headers().map() + "\n" + r.body());
    return r;
  }
}
