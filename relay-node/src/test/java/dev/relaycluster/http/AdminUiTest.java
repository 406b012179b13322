package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin web UI is served by the node, locked down, and calls only admin endpoints that exist. */
class AdminUiTest {
  @TempDir
  static Path dataDir;
  static TestNode node;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = TestNode.embedded(dataDir, Map.of());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET();
    if (accept != null) {
      b.header("accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theIndexPageAndItsAssetsAreServedWithASecurityPolicy() throws Exception {
    HttpResponse<String> index = get("/admin/", "text/html");
    assertEquals(200, index.statusCode());
    assertTrue(index.headers().firstValue("content-type").orElse("").startsWith("text/html"));
    assertTrue(index.headers().firstValue("content-security-policy").orElse("").contains("default-src 'self'"));
    assertTrue(index.body().contains("<script type=\"module\" src=\"app.js\">"));

    HttpResponse<String> js = get("/admin/app.js", null);
    assertEquals(200, js.statusCode());
    assertTrue(js.headers().firstValue("content-type").orElse("").contains("javascript"), js.headers().toString());
    HttpResponse<String> css = get("/admin/app.css", null);
    assertEquals(200, css.statusCode());
    assertTrue(css.headers().firstValue("content-type").orElse("").startsWith("text/css"));

    assertEquals(404, get("/admin/no-such-file.js", null).statusCode());
  }

  @Test
  void theKeyHoldersPageIsPublicAndReadsUsageWithTheKeyItself() throws Exception {
    HttpResponse<String> page = get("/key-usage", "text/html");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("src=\"/admin/key.js\""), page.body());
    String js = get("/admin/key.js", null).body();
    assertTrue(js.contains("fetch('/api/v1/key-usage'") && js.contains("'x-api-key'"), "the page does not read usage by key");
    String key = node.createKey("holder", 2).get("key").asText();
    HttpResponse<String> usage = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/key-usage"))
        .header("x-api-key", key).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, usage.statusCode(), usage.body());
    assertTrue(usage.body().contains("\"name\":\"holder\"") && usage.body().contains("\"usage\""), usage.body());
  }

  @Test
  void browsersAreSentToTheUiAndApiClientsStillGetJson() throws Exception {
    HttpResponse<String> bare = get("/admin", null);
    assertEquals(308, bare.statusCode());
    assertEquals("/admin/", bare.headers().firstValue("location").orElseThrow());

    HttpResponse<String> browser = get("/", "text/html,application/xhtml+xml");
    assertEquals(302, browser.statusCode());
    assertEquals("/admin/", browser.headers().firstValue("location").orElseThrow());

    HttpResponse<String> api = get("/", "application/json");
    assertEquals(200, api.statusCode());
    assertTrue(api.body().contains("\"service\":\"relay-cluster\""));
  }

  @Test
  void theAdminApiIsNotShadowedByTheUi() throws Exception {
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/admin/api/nope"))
        .header("authorization", "Bearer " + node.login()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("no such admin endpoint"));
  }

  /**
   * The UI's JavaScript: app.js, the page modules its PAGES table loads when a page is first shown
   * ({@code name: ['module', …]} → views/module.js), and every module they import, followed through their imports.
   */
  private static String allModules() throws Exception {
    Pattern imports = Pattern.compile("from '(\\.{1,2}/[^']+)'");
    Pattern pages = Pattern.compile("(?m)^\\s*\\w+: \\['(\\w+)'");
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of("app.js"));
    Set<String> seen = new LinkedHashSet<>();
    StringBuilder all = new StringBuilder();
    while (!todo.isEmpty()) {
      String module = todo.pop();
      if (!seen.add(module)) {
        continue;
      }
      HttpResponse<String> r = get("/admin/" + module, null);
      assertEquals(200, r.statusCode(), "the UI imports " + module + ", which the node does not serve");
      all.append(r.body()).append('\n');
      Matcher m = imports.matcher(r.body());
      while (m.find()) {
        todo.push(URI.create("http://x/" + module).resolve(m.group(1)).getPath().substring(1));
      }
      if (module.equals("app.js")) {
        Matcher page = pages.matcher(r.body());
        while (page.find()) {
          todo.push("views/" + page.group(1) + ".js");
        }
      }
    }
    assertTrue(seen.size() > 5, "the UI's modules were not found: " + seen);
    return all.toString();
  }

  @Test
  void everyEndpointTheUiReadsExists() throws Exception {
    String js = allModules();
    // '/keys/' + id, and '/requests/' + id + '/trace': the literal before the id and the one after it.
    Matcher m = Pattern.compile("api\\('GET', '(/[^'?]*)'?(?:\\s*\\+\\s*[\\w.()]+\\s*\\+\\s*'(/[^'?]*))?").matcher(js);
    Set<String> paths = new LinkedHashSet<>();
    // Paths built by concatenation ("/keys/" + id) are checked with a real id of that kind.
    Map<String, String> ids = Map.of(
        "/keys/", node.createKey("ui-check", 0).get("id").asText(),
        "/accounts/", node.createConsoleAccount("ui-check", "http://127.0.0.1:9", "sk-ui-check", 5));
    while (m.find()) {
      String p = m.group(1);
      if (p.endsWith("/")) {
        // An id of a kind this test does not create: the endpoint must exist and may say it has no such thing.
        p = p + ids.getOrDefault(p, "0190f2c4-0000-7000-8000-000000000000") + (m.group(2) == null ? "" : m.group(2));
      }
      paths.add(p);
    }
    assertFalse(paths.isEmpty(), "no api('GET', ...) calls found in app.js");
    String token = node.login();
    for (String p : paths) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/admin/api" + p))
          .header("authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertFalse(r.statusCode() == 404 && r.body().contains("no such admin endpoint"),
          "the UI reads " + p + " but the node has no such endpoint: " + r.body());
      assertTrue(r.statusCode() < 500, p + " → " + r.statusCode());
    }
  }
}
