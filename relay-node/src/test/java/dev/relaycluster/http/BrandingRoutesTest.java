package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site name and icon: WEB_TITLE (relay.admin.web-title) by default, readable without a token at
 * /admin/api/branding, changed and reset by an admin at /admin/api/settings/branding, refused to a viewer,
 * and checked (no script URLs, no other sites, no oversized icons).
 */
class BrandingRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ICON = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  @Test
  void defaultChangeResetAndChecks(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.embedded(dir, Map.of("relay.admin.web-title", "Acme 中继"))) {
      JsonNode shown = publicBranding(node);
      assertEquals("Acme 中继", shown.get("siteName").asText());
      assertTrue(shown.get("iconUrl").isNull());
      assertEquals(2, shown.size(), "the public answer holds the name and icon only: " + shown);

      JsonNode changed = node.admin("PATCH", "/admin/api/settings/branding",
          JSON.createObjectNode().put("siteName", "  Team relay ").put("iconUrl", ICON));
      assertEquals("Team relay", changed.get("siteName").asText());
      assertEquals(ICON, changed.get("iconUrl").asText());
      assertEquals("Acme 中继", changed.get("defaultSiteName").asText());
      assertTrue(changed.get("overridden").asBoolean());
      assertEquals("Team relay", publicBranding(node).get("siteName").asText());
      assertEquals(ICON, publicBranding(node).get("iconUrl").asText());

      // Only the field given changes; null puts it back to the default.
      node.admin("PATCH", "/admin/api/settings/branding", JSON.createObjectNode().putNull("siteName"));
      JsonNode half = node.admin("GET", "/admin/api/settings/branding", null);
      assertEquals("Acme 中继", half.get("siteName").asText());
      assertEquals(ICON, half.get("iconUrl").asText());
      assertTrue(half.get("overridden").asBoolean());
      node.admin("PATCH", "/admin/api/settings/branding", JSON.createObjectNode().put("iconUrl", ""));
      JsonNode reset = node.admin("GET", "/admin/api/settings/branding", null);
      assertTrue(reset.get("iconUrl").isNull());
      assertFalse(reset.get("overridden").asBoolean());

      for (ObjectNode bad : new ObjectNode[] {
          JSON.createObjectNode().put("iconUrl", "javascript:alert(1)"),
          JSON.createObjectNode().put("iconUrl", "https://elsewhere.example/icon.png"),
          JSON.createObjectNode().put("iconUrl", "//elsewhere.example/icon.png"),
          JSON.createObjectNode().put("iconUrl", "data:text/html;base64,PHNjcmlwdD4="),
          JSON.createObjectNode().put("iconUrl", "data:image/png;base64," + "A".repeat(100_000)),
          JSON.createObjectNode().put("siteName", ""),
          JSON.createObjectNode().put("siteName", "x".repeat(81)),
          JSON.createObjectNode().put("siteName", "two\nlines"),
          JSON.createObjectNode().put("siteName", 7),
          JSON.createObjectNode().put("colour", "red"),
          JSON.createObjectNode()}) {
        HttpResponse<String> r = node.send("PATCH", "/admin/api/settings/branding", bad, node.login());
        assertEquals(400, r.statusCode(), bad + " → " + r.body());
      }
      assertEquals("Acme 中继", publicBranding(node).get("siteName").asText(), "a refused change changes nothing");

      node.admin("POST", "/admin/api/admins", JSON.createObjectNode().put("username", "vera").put("role", "viewer")
          .put("password", "a-viewer-password-123"));
      HttpResponse<String> login = node.post("/admin/api/login",
          JSON.createObjectNode().put("username", "vera").put("password", "a-viewer-password-123"), null);
      String viewer = JSON.readTree(login.body()).get("token").asText();
      assertEquals(200, node.send("GET", "/admin/api/settings/branding", null, viewer).statusCode());
      assertEquals(403, node.send("PATCH", "/admin/api/settings/branding",
          JSON.createObjectNode().put("siteName", "Vera's"), viewer).statusCode());
      assertEquals(401, node.send("PATCH", "/admin/api/settings/branding",
          JSON.createObjectNode().put("siteName", "Nobody's"), null).statusCode());
    }
  }

  private static JsonNode publicBranding(TestNode node) throws Exception {
    HttpResponse<String> r = node.send("GET", "/admin/api/branding", null, null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("no-store", r.headers().firstValue("cache-control").orElse(""));
    return JSON.readTree(r.body());
  }
}
