package dev.relaycluster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import dev.relaycluster.protocol.oauth.GoogleOAuth;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code relay.accounts.gemini-oauth}: Google's endpoints by default and no OAuth client at all (it comes only
 * from the environment), each value overridable from the environment, and the secret never printed.
 */
class GeminiOAuthSettingsTest {

  private static RelaySettings.Accounts.GeminiOAuth read(Map<String, String> environment) {
    Config config = ConfigFactory.parseMap(environment)
        .withFallback(ConfigFactory.parseResources("application.conf"))
        .resolve(ConfigResolveOptions.noSystem()); // this machine's own environment plays no part
    return RelaySettings.Accounts.from(config.getConfig("relay.accounts")).geminiOauth();
  }

  @Test
  void withoutTheEnvironmentThereIsNoClient() {
    RelaySettings.Accounts.GeminiOAuth g = read(Map.of());
    assertEquals("", g.clientId());
    assertEquals("", g.clientSecret());
    assertFalse(g.configured());
    assertEquals(GoogleOAuth.AUTHORIZE_ENDPOINT, g.authorizeUrl());
    assertEquals(GoogleOAuth.TOKEN_ENDPOINT, g.tokenUrl());
    assertEquals(GoogleOAuth.USERINFO_ENDPOINT, g.userinfoUrl());
    assertEquals(GoogleOAuth.REDIRECT_URI, g.redirectUri());
    assertEquals("https://cloudcode-pa.googleapis.com", g.codeAssistBaseUrl());
    assertEquals(Duration.ofMinutes(5), g.quotaInterval());
    assertEquals(RelaySettings.Accounts.GeminiOAuth.UNCONFIGURED, g);
  }

  @Test
  void theEnvironmentGivesTheClientAndMovesTheEndpoints() {
    RelaySettings.Accounts.GeminiOAuth g = read(Map.of(
        "GEMINI_OAUTH_CLIENT_ID", "123-abc.apps.googleusercontent.com",
        "GEMINI_OAUTH_CLIENT_SECRET", "a-client-secret-from-env",
        "GEMINI_OAUTH_TOKEN_URL", "http://127.0.0.1:9/token",
        "GEMINI_CODE_ASSIST_BASE_URL", "http://127.0.0.1:9",
        "GEMINI_QUOTA_INTERVAL", "1m"));
    assertTrue(g.configured());
    assertEquals("123-abc.apps.googleusercontent.com", g.clientId());
    assertEquals("a-client-secret-from-env", g.clientSecret());
    assertEquals("http://127.0.0.1:9/token", g.tokenUrl());
    assertEquals("http://127.0.0.1:9", g.codeAssistBaseUrl());
    assertEquals(Duration.ofMinutes(1), g.quotaInterval());
    assertFalse(g.toString().contains("a-client-secret-from-env"), g.toString());
    assertFalse(read(Map.of("GEMINI_OAUTH_CLIENT_ID", "only-the-id")).configured(), "a secret is needed too");
  }

  @Test
  void settingsMadeWithoutTheGeminiBlockHaveNoClient() {
    RelaySettings.Accounts full = RelaySettings.Accounts.from(ConfigFactory.load().getConfig("relay.accounts"));
    RelaySettings.Accounts older = new RelaySettings.Accounts(full.refreshAhead(), full.maxCoolingShare(),
        full.cooldowns(), full.recentErrors(), full.testModel(), full.oauth(), full.codexOauth());
    assertEquals(RelaySettings.Accounts.GeminiOAuth.UNCONFIGURED, older.geminiOauth());
  }
}
