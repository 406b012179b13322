package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockOidcIssuer;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Admin sign-on on the cluster profile (PostgreSQL, the sign-on state in Redis) with a public client (no
 * secret: PKCE alone) and password login left on: both ways in work side by side, the login page is told so,
 * a state and a sign-on code are each usable once, and a role of {@code *} lets in anyone the map does not name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcPostgresRedisTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockOidcIssuer issuer;
  private TestNode node;
  private String database;

  @BeforeAll
  void start() throws Exception {
    issuer = new MockOidcIssuer(0, "relay-public-client", "");
    Map<String, Object> cfg = issuer.nodeConfig("relay-admins=admin,*=viewer");
    database = TestDatabases.create();
    node = TestNode.postgresAndRedis(Files.createTempDirectory("relay-oidc-pg-"), database,
        "relay-oidc-test-" + UUID.randomUUID() + ":", cfg);
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (issuer != null) {
      issuer.close();
    }
    if (database != null) {
      TestDatabases.drop(database);
    }
  }

  @Test
  void passwordAndSignOnSideBySide() throws Exception {
    JsonNode options = JSON.readTree(get(node.baseUrl() + "/admin/api/login/options").body());
    assertTrue(options.path("password").asBoolean(), options.toString());
    assertTrue(options.path("oidc").path("enabled").asBoolean(), options.toString());
    assertEquals(200, AdminLogins.login(node, TestNode.ADMIN_USER, TestNode.ADMIN_PASSWORD).statusCode());

    issuer.setUser("sub-erin", "erin@example.test", List.of("everyone"));
    String callback = location(get(location(get(node.baseUrl() + "/admin/api/oidc/start"))));
    String page = location(get(callback));
    assertTrue(page.matches("/admin/#/login\\?sso=[0-9a-f]{64}"), page);
    assertEquals("/admin/#/login?sso_error=expired", location(get(callback)), "a state is used once");
    String code = page.substring(page.indexOf("sso=") + 4);
    HttpResponse<String> r = node.post("/admin/api/oidc/exchange", JSON.createObjectNode().put("code", code), null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(401, node.post("/admin/api/oidc/exchange", JSON.createObjectNode().put("code", code), null)
        .statusCode(), "a sign-on code is used once");
    String token = JSON.readTree(r.body()).path("token").asText();
    JsonNode me = JSON.readTree(node.send("GET", "/admin/api/me", null, token).body());
    assertEquals("erin@example.test", me.path("username").asText());
    assertEquals("viewer", me.path("role").asText());
    assertTrue(issuer.tokenRequests().stream().noneMatch(t -> t.startsWith("Basic ")),
        "a public client sends no secret");
    // The admin made by sign-on has no password that works.
    assertEquals(401, AdminLogins.login(node, "erin@example.test", "!oidc").statusCode());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return node.http().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String location(HttpResponse<String> r) {
    assertEquals(302, r.statusCode(), r.body());
    return r.headers().firstValue("location").orElseThrow();
  }
}
