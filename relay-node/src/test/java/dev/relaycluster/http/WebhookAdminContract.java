package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.TestNode;
import dev.relaycluster.testing.WebhookReceiver;
import dev.relaycluster.testing.WebhookReceiver.Answer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The alert-target admin API end to end on a node: create, mask, test-send, update, enable, delete,
 * refuse. Run on the embedded default and on PostgreSQL + Redis by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebhookAdminContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SLACK_PATH = "/services/T0ADMIN/B0ADMIN/slack-secret-token";

  private Path dataDir;
  private TestNode node;
  private WebhookReceiver receiver;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("relay-webhooks-");
    receiver = new WebhookReceiver();
    node = startNode(dataDir, Map.of("relay.alerts.max-attempts", 2, "relay.alerts.initial-backoff", "10ms"));
  }

  abstract TestNode startNode(Path dataDir, Map<String, Object> extra) throws Exception;

  void afterNodeStopped() {}

  @AfterAll
  void stop() {
    node.close();
    receiver.close();
    afterNodeStopped();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(20))
        .header("authorization", "Bearer " + node.login())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int targetCount() throws Exception {
    return node.admin("GET", "/admin/api/webhooks", null).get("data").size();
  }

  private String createSlack(String name) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("channel", "slack");
    body.putArray("kinds").add("unauthorized").add("blocked");
    body.putObject("config").put("url", receiver.baseUrl() + SLACK_PATH);
    HttpResponse<String> r = call("POST", "/admin/api/webhooks", body.toString());
    assertEquals(201, r.statusCode(), r.body());
    assertFalse(r.body().contains("slack-secret-token"), r.body());
    return JSON.readTree(r.body()).get("id").asText();
  }

  @Test
  void createListTestSendWithSecretsMasked() throws Exception {
    String id = createSlack("ops slack");
    JsonNode created = node.admin("GET", "/admin/api/webhooks/" + id, null);
    assertEquals("slack", created.get("channel").asText());
    assertTrue(created.get("enabled").asBoolean());
    assertEquals("[\"blocked\",\"unauthorized\"]", created.get("kinds").toString());
    assertEquals(receiver.baseUrl() + "/****", created.at("/config/url").asText());
    HttpResponse<String> list = call("GET", "/admin/api/webhooks", null);
    assertTrue(list.body().contains(id));
    assertFalse(list.body().contains("slack-secret-token"), list.body());

    JsonNode result = node.admin("POST", "/admin/api/webhooks/" + id + "/test", null);
    assertEquals(JSON.readTree("{\"id\":\"" + id + "\",\"delivered\":true,\"attempts\":1}"), result);
    JsonNode slack = JSON.readTree(receiver.received(SLACK_PATH).get(receiver.received(SLACK_PATH).size() - 1).body());
    assertEquals("[Relay Cluster] Test alert", slack.get("text").asText());
    assertTrue(slack.at("/blocks/1/text/text").asText().contains("sent by admin"), slack.toString());
  }

  @Test
  void anUpdateWithoutTheSecretKeepsItAndEnableDisableDeleteWork() throws Exception {
    String id = createSlack("to update");
    int before = receiver.received(SLACK_PATH).size();
    JsonNode renamed = node.admin("PATCH", "/admin/api/webhooks/" + id, JSON.readTree("{\"name\":\"renamed\",\"kinds\":[]}"));
    assertEquals("renamed", renamed.get("name").asText());
    assertEquals(0, renamed.get("kinds").size());
    assertTrue(node.admin("POST", "/admin/api/webhooks/" + id + "/test", null).get("delivered").asBoolean());
    assertEquals(before + 1, receiver.received(SLACK_PATH).size(), "the stored URL was kept");

    String newPath = "/services/T0ADMIN/B0ADMIN/rotated-token";
    node.admin("PATCH", "/admin/api/webhooks/" + id,
        JSON.readTree("{\"config\":{\"url\":\"" + receiver.baseUrl() + newPath + "\"}}"));
    assertTrue(node.admin("POST", "/admin/api/webhooks/" + id + "/test", null).get("delivered").asBoolean());
    assertEquals(1, receiver.received(newPath).size());

    assertFalse(node.admin("POST", "/admin/api/webhooks/" + id + "/disable", null).get("enabled").asBoolean());
    assertFalse(node.admin("GET", "/admin/api/webhooks/" + id, null).get("enabled").asBoolean());
    assertTrue(node.admin("POST", "/admin/api/webhooks/" + id + "/enable", null).get("enabled").asBoolean());

    assertEquals(200, call("DELETE", "/admin/api/webhooks/" + id, null).statusCode());
    HttpResponse<String> gone = call("GET", "/admin/api/webhooks/" + id, null);
    assertEquals(404, gone.statusCode());
    assertEquals("not_found_error", JSON.readTree(gone.body()).at("/error/type").asText());
    assertEquals(404, call("POST", "/admin/api/webhooks/" + id + "/test", null).statusCode());
    assertEquals(404, call("DELETE", "/admin/api/webhooks/" + id, null).statusCode());
  }

  @Test
  void aFailingChannelIsReportedByTheTestSend() throws Exception {
    String path = "/open-apis/bot/v2/hook/admin-feishu";
    receiver.answer(path, Answer.json(200, "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail\"}"));
    ObjectNode body = JSON.createObjectNode().put("name", "feishu").put("channel", "feishu");
    body.putObject("config").put("url", receiver.baseUrl() + path).put("secret", "feishu-signing-secret");
    JsonNode created = node.admin("POST", "/admin/api/webhooks", body);
    assertEquals("****", created.at("/config/secret").asText());
    JsonNode result = node.admin("POST", "/admin/api/webhooks/" + created.get("id").asText() + "/test", null);
    assertFalse(result.get("delivered").asBoolean());
    assertEquals(1, result.get("attempts").asInt());
    assertEquals("Feishu code 19021: sign match fail", result.get("error").asText());
  }

  @Test
  void badInputIsRefusedAndNothingIsWritten() throws Exception {
    int before = targetCount();
    String[][] cases = {
        {"{\"name\":\"x\",\"channel\":\"pager\",\"config\":{\"url\":\"https://a.example\"}}", "channel: must be one of"},
        {"{\"name\":\"x\",\"channel\":\"slack\",\"config\":{}}", "config.url: required for slack targets"},
        {"{\"name\":\"x\",\"channel\":\"slack\",\"config\":{\"url\":\"javascript:alert(1)\"}}", "config.url: must be an http"},
        {"{\"name\":\"x\",\"channel\":\"slack\",\"kinds\":[\"exploded\"],\"config\":{\"url\":\"https://a.example/x\"}}",
            "kinds: 'exploded' is not one of"},
        {"{\"name\":\"x\",\"channel\":\"slack\",\"config\":{\"url\":\"https://a.example/x\",\"token\":\"t\"}}",
            "config.token: not a setting of slack targets"},
        {"{\"name\":\"x\",\"channel\":\"slack\",\"enabled\":\"yes\",\"config\":{\"url\":\"https://a.example/x\"}}",
            "enabled: must be true or false"},
        {"{\"channel\":\"slack\",\"config\":{\"url\":\"https://a.example/x\"}}", "name: required"},
        {"{\"name\":\"x\",\"channel\":\"smtp\",\"config\":{\"host\":\"smtp.example.com\",\"from\":\"a@example.com\","
            + "\"to\":[\"b@example.com\",\"not-an-address\"]}}", "config.to: 'not-an-address' is not an e-mail address"},
        {"{\"name\":\"x\",\"channel\":\"slack\",\"colour\":\"red\",\"config\":{\"url\":\"https://a.example/x\"}}",
            "colour: unknown field"},
        {"[1,2]", "the body must be a JSON object"},
        {"{not json", "the body is not valid JSON"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = call("POST", "/admin/api/webhooks", c[0]);
      assertEquals(400, r.statusCode(), c[0] + " → " + r.body());
      JsonNode error = JSON.readTree(r.body()).get("error");
      assertEquals("invalid_request_error", error.get("type").asText());
      assertTrue(error.get("message").asText().startsWith(c[1]), c[0] + " → " + error.get("message").asText());
    }
    assertEquals(before, targetCount());

    String id = createSlack("kept as it was");
    JsonNode original = node.admin("GET", "/admin/api/webhooks/" + id, null);
    HttpResponse<String> bad = call("PATCH", "/admin/api/webhooks/" + id,
        "{\"name\":\"changed\",\"config\":{\"url\":\"ftp://x.example/y\"}}");
    assertEquals(400, bad.statusCode(), bad.body());
    HttpResponse<String> channel = call("PATCH", "/admin/api/webhooks/" + id, "{\"channel\":\"discord\"}");
    assertEquals(400, channel.statusCode(), channel.body());
    assertEquals(original, node.admin("GET", "/admin/api/webhooks/" + id, null), "nothing half-written");
  }

  @Test
  void describesTheChannels() throws Exception {
    JsonNode channels = node.admin("GET", "/admin/api/webhooks/channels", null).get("data");
    assertEquals(9, channels.size());
    JsonNode telegram = null;
    for (JsonNode c : channels) {
      if (c.get("channel").asText().equals("telegram")) {
        telegram = c;
      }
    }
    assertEquals(JSON.readTree("[{\"name\":\"botToken\",\"required\":true,\"secret\":true},"
        + "{\"name\":\"chatId\",\"required\":true,\"secret\":false},"
        + "{\"name\":\"apiBase\",\"required\":false,\"secret\":false,\"default\":\"https://api.telegram.org\"}]"),
        telegram.get("fields"));
  }

  @Test
  void needsAnAdminSession() throws Exception {
    HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/admin/api/webhooks"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode());
  }
}
