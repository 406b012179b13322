package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.MockOAuthServer;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account health and rotated OAuth tokens are events: after the node restarts (its pool view rebuilt
 * from the journal), a blocked account is still blocked, a cooldown still runs, and the OAuth account
 * uses the refreshed token and presents the rotated refresh token next time.
 */
class AccountsRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  @TempDir
  Path dataDir;

  @Test
  void healthAndRotatedTokensSurviveARestart() throws Exception {
    try (MockAnthropic mock = new MockAnthropic(); MockOAuthServer oauth = new MockOAuthServer()) {
      String access = "sk-ant-oat01-" + UUID.randomUUID();
      String refresh = "sk-ant-ort01-" + UUID.randomUUID();
      String blockedKey = "sk-blocked-" + UUID.randomUUID();
      String coolingKey = "sk-cooling-" + UUID.randomUUID();
      oauth.acceptRefreshToken(refresh);
      String key;
      String oauthId;
      String blockedId;
      String coolingId;
      long reset = System.currentTimeMillis() / 1000 + 3600;
      try (TestNode first = TestNode.embedded(dataDir, oauth.nodeConfig())) {
        blockedId = first.createConsoleAccount("blocked", mock.baseUrl(), blockedKey, 1);
        coolingId = first.createConsoleAccount("cooling", mock.baseUrl(), coolingKey, 2);
        ObjectNode body = JSON.createObjectNode().put("name", "oauth").put("type", "claude-oauth")
            .put("baseUrl", mock.baseUrl()).put("accessToken", access).put("refreshToken", refresh)
            .put("expiresAt", System.currentTimeMillis() + 3_600_000).put("priority", 3);
        oauthId = first.admin("POST", "/admin/api/accounts", body).get("id").asText();
        key = first.createKey("restart", 0).get("key").asText();
        mock.script(blockedKey, Scripted.orgDisabled());
        mock.script(coolingKey, Scripted.rateLimited(reset, null));
        mock.always(access, Scripted.unauthorized());
        // blocked → cooling → 401, refresh, retry on the OAuth account
        RelayCall r = RelayCall.call(first.baseUrl(), key, false, SONNET, "s-1");
        assertEquals(200, r.status(), r.body());
        assertEquals(1, oauth.refreshCalls());
        assertEquals("blocked", first.admin("GET", "/admin/api/accounts/" + blockedId, null).get("state").asText());
      }
      String rotated = oauth.lastRefreshToken();
      String newAccess = oauth.lastAccessToken();

      try (TestNode second = TestNode.embedded(dataDir, oauth.nodeConfig())) {
        JsonNode blocked = second.admin("GET", "/admin/api/accounts/" + blockedId, null);
        assertEquals("blocked", blocked.get("state").asText(), blocked.toString());
        JsonNode cooling = second.admin("GET", "/admin/api/accounts/" + coolingId, null);
        assertEquals("cooling", cooling.get("state").asText(), cooling.toString());
        assertEquals(reset * 1000,
            java.time.Instant.parse(cooling.get("cooldowns").get(0).get("until").asText()).toEpochMilli());

        RelayCall r = RelayCall.call(second.baseUrl(), key, false, SONNET, "s-2");
        assertEquals(200, r.status(), r.body());
        assertEquals(2, mock.calls(newAccess), "the refreshed token came back from the journal");
        assertEquals(1, mock.calls(blockedKey));
        assertEquals(1, mock.calls(coolingKey));

        mock.script(newAccess, Scripted.unauthorized());
        assertEquals(200, RelayCall.call(second.baseUrl(), key, false, SONNET, "s-3").status());
        assertEquals(rotated, oauth.refreshTokensPresented().get(1), "the rotated refresh token was kept");
        assertEquals("active", second.admin("GET", "/admin/api/accounts/" + oauthId, null).get("state").asText());
      }
    }
  }
}
