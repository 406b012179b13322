package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model map through a node: the defaults, an admin's map (PUT) routing an alias to the pool it names, a
 * key's own map taking precedence, DELETE putting the defaults back, refused bodies naming the field, roles and
 * the audit log. Routing is seen through the key's pool permission (a key that may only use claude is refused
 * with the pool the map picked named) and through the request log (the account that served it).
 */
class ModelMapRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULTS = "[{\"match\":\"claude-*\",\"pool\":\"claude\",\"model\":null},"
      + "{\"match\":\"gemini-*\",\"pool\":\"gemini\",\"model\":null},{\"match\":\"gpt-*\",\"pool\":\"openai\",\"model\":null},"
      + "{\"match\":\"o1*\",\"pool\":\"openai\",\"model\":null},{\"match\":\"o3*\",\"pool\":\"openai\",\"model\":null},"
      + "{\"match\":\"o4*\",\"pool\":\"openai\",\"model\":null},{\"match\":\"codex-*\",\"pool\":\"openai\",\"model\":null},"
      + "{\"match\":\"sonnet\",\"pool\":\"claude\",\"model\":\"claude-sonnet-4-5\"},"
      + "{\"match\":\"opus\",\"pool\":\"claude\",\"model\":\"claude-opus-4-5\"},"
      + "{\"match\":\"haiku\",\"pool\":\"claude\",\"model\":\"claude-haiku-4-5\"},"
      + "{\"match\":\"fast\",\"pool\":\"gemini\",\"model\":\"gemini-3.8-flash\"}]";

  @Test
  void anAdminsMapRoutesAndAKeysMapComesFirst(@TempDir Path dir) throws Exception {
    try (MockAnthropic mock = new MockAnthropic();
        TestNode node = TestNode.embedded(dir, Map.of())) {
      JsonNode shown = node.admin("GET", "/admin/api/model-map", null);
      assertEquals("{\"rules\":" + DEFAULTS + ",\"overridden\":false,\"defaults\":" + DEFAULTS + "}", shown.toString());

      String account = node.createConsoleAccount("map", mock.baseUrl(), "sk-ant-api03-map-" + UUID.randomUUID(), 1);
      JsonNode key = node.admin("POST", "/admin/api/keys", JSON.readTree(
          "{\"name\":\"claude only\",\"permissions\":[\"claude\"],\"allowedModels\":[\"claude-sonnet-4-5\",\"claude-opus-*\"]}"));
      String keyId = key.get("id").asText();
      String plain = key.get("key").asText();
      assertEquals("[]", key.get("modelMap").toString());

      // The defaults: "fast" means the gemini pool, which this key may not use; "sonnet" is judged as the
      // model it stands for (the key allows claude-sonnet-4-5, not "sonnet").
      refused(node, plain, "fast", "permission rule: this API key may not use the gemini pool (it may use: claude)");
      assertEquals(200, RelayCall.call(node.baseUrl(), plain, false, "sonnet", null).status());

      JsonNode put = node.admin("PUT", "/admin/api/model-map", JSON.readTree(
          "{\"rules\":[{\"match\":\"FAST\",\"pool\":\"claude\",\"model\":\"claude-sonnet-4-5\"},"
              + "{\"match\":\"claude-*\",\"pool\":\"claude\"}]}"));
      String rules = "[{\"match\":\"FAST\",\"pool\":\"claude\",\"model\":\"claude-sonnet-4-5\"},"
          + "{\"match\":\"claude-*\",\"pool\":\"claude\",\"model\":null}]";
      assertEquals("{\"rules\":" + rules + ",\"overridden\":true,\"defaults\":" + DEFAULTS + "}", put.toString());
      assertEquals(put, node.admin("GET", "/admin/api/model-map", null), "read back from the table");
      RelayCall fast = RelayCall.call(node.baseUrl(), plain, false, "fast", null);
      assertEquals(200, fast.status(), fast.body());
      // "sonnet" is no longer an alias: the name as asked, in the home pool, and the key's model rule says no.
      refused(node, plain, "sonnet",
          "model rule: this API key may not use model sonnet (allowed: claude-sonnet-4-5, claude-opus-*)");
      // The request log, newest first: the pool each went to, the name the client asked for.
      assertEquals(List.of("sonnet claude 403 null", "fast claude 200 " + account, "sonnet claude 200 " + account,
          "fast gemini 403 null"), ledger(node, keyId, 4));

      // The key's own map comes before the operator's: its claude-* goes to the openai pool (refused here:
      // the key may only use claude), its alias to claude.
      JsonNode patched = node.admin("PATCH", "/admin/api/keys/" + keyId, JSON.readTree(
          "{\"modelMap\":[{\"match\":\"claude-*\",\"pool\":\"openai\",\"model\":\"gpt-5.1-codex\"},"
              + "{\"match\":\"big\",\"pool\":\"claude\",\"model\":\"claude-opus-4-5\"}]}"));
      assertEquals("[{\"match\":\"claude-*\",\"pool\":\"openai\",\"model\":\"gpt-5.1-codex\"},"
          + "{\"match\":\"big\",\"pool\":\"claude\",\"model\":\"claude-opus-4-5\"}]", patched.get("modelMap").toString());
      refused(node, plain, "claude-sonnet-4-5",
          "permission rule: this API key may not use the openai pool (it may use: claude)");
      assertEquals(200, RelayCall.call(node.baseUrl(), plain, false, "big", null).status());
      assertEquals(200, RelayCall.call(node.baseUrl(), plain, false, "fast", null).status(), "the operator's alias");
      assertEquals(List.of("fast claude 200 " + account, "big claude 200 " + account, "claude-sonnet-4-5 openai 403 null"),
          ledger(node, keyId, 7).subList(0, 3));
      HttpResponse<String> badKey = node.send("PATCH", "/admin/api/keys/" + keyId,
          JSON.readTree("{\"modelMap\":[{\"match\":\"x\",\"pool\":\"bedrock\"}]}"), node.login());
      assertEquals(400, badKey.statusCode());
      assertEquals("modelMap[0].pool: one of claude, droid, gemini, openai",
          JSON.readTree(badKey.body()).get("error").get("message").asText());
      node.admin("PATCH", "/admin/api/keys/" + keyId, JSON.readTree("{\"modelMap\":null}"));

      // Refused bodies name the field and change nothing.
      for (String[] bad : new String[][] {
          {"{\"rules\":[{\"match\":\"x\",\"pool\":\"mars\"}]}", "rules[0].pool: one of claude, droid, gemini, openai"},
          {"{\"rules\":[{\"match\":\"\",\"pool\":\"claude\"}]}",
              "rules[0].match: a model name or a pattern with *, such as claude-*"},
          {"{\"rules\":{}}", "rules: a list of {match, pool, model} rules (an empty list: the defaults)"},
          {"{}", "rules: a list of {match, pool, model} rules (an empty list: the defaults)"},
          {"{\"rules\":[],\"more\":1}", "more: unknown field (rules)"}}) {
        HttpResponse<String> r = node.send("PUT", "/admin/api/model-map", JSON.readTree(bad[0]), node.login());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(bad[1], JSON.readTree(r.body()).get("error").get("message").asText());
      }
      assertEquals(put, node.admin("GET", "/admin/api/model-map", null));

      // A viewer reads but does not change.
      node.admin("POST", "/admin/api/admins", JSON.createObjectNode().put("username", "vera").put("role", "viewer")
          .put("password", "a-viewer-password-123"));
      String viewer = JSON.readTree(node.post("/admin/api/login", JSON.createObjectNode().put("username", "vera")
          .put("password", "a-viewer-password-123"), null).body()).get("token").asText();
      assertEquals(200, node.send("GET", "/admin/api/model-map", null, viewer).statusCode());
      assertEquals(403, node.send("PUT", "/admin/api/model-map", JSON.readTree("{\"rules\":[]}"), viewer).statusCode());
      assertEquals(403, node.send("DELETE", "/admin/api/model-map", null, viewer).statusCode());

      JsonNode reset = node.admin("DELETE", "/admin/api/model-map", null);
      assertEquals("{\"rules\":" + DEFAULTS + ",\"overridden\":false,\"defaults\":" + DEFAULTS + "}", reset.toString());
      refused(node, plain, "fast", "permission rule: this API key may not use the gemini pool (it may use: claude)");

      JsonNode audit = node.admin("GET", "/admin/api/audit?objectType=model-map&limit=50", null).get("data");
      // Refused bodies are not logged (nothing changed); the viewer's tries are, as denied.
      List<String> entries = new ArrayList<>();
      audit.forEach(a -> entries.add(a.get("actor").asText() + " " + a.get("action").asText() + " "
          + a.get("fields") + " " + a.get("detail").asText()));
      assertEquals(List.of("admin reset [] null", "vera denied [] DELETE /model-map", "vera denied [] PUT /model-map",
          "admin changed [\"rules\"] rules=2"), entries);
      assertFalse(audit.toString().contains("claude-sonnet-4-5"), "the audit log holds a count, not the rules");
      assertTrue(audit.get(0).get("detail").isNull());
    }
  }

  /** The newest {@code count} rows of the key's request log as "model pool status account". */
  private static List<String> ledger(TestNode node, String keyId, int count) throws Exception {
    JsonNode rows = node.awaitRequests(keyId, r -> r.size() == count);
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.get("model").asText() + " " + r.get("pool").asText() + " " + r.get("status").asInt()
        + " " + (r.get("accountId").isNull() ? "null" : r.get("accountId").asText())));
    return out;
  }

  private static void refused(TestNode node, String key, String model, String message) throws Exception {
    RelayCall call = RelayCall.call(node.baseUrl(), key, false, model, null);
    assertEquals(403, call.status(), call.body());
    assertEquals(message, JSON.readTree(call.body()).get("error").get("message").asText(), call.body());
  }
}
