package dev.relaycluster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.protocol.oauth.CodexOAuth;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code relay.accounts.codex-oauth}: the Codex CLI's public values by default, each overridable from the environment. */
class CodexOAuthSettingsTest {

  private static RelaySettings.Accounts.Codex read(Map<String, String> environment) {
    // Substitutions resolve against the root, where the environment's variables sit.
    Config config = ConfigFactory.parseMap(environment)
        .withFallback(ConfigFactory.parseResources("application.conf")).resolve();
    return RelaySettings.Accounts.from(config.getConfig("relay.accounts")).codexOauth();
  }

  @Test
  void defaultsAreTheCodexCliLogin() {
    RelaySettings.Accounts.Codex codex = read(Map.of());
    assertEquals(RelaySettings.Accounts.Codex.DEFAULTS, codex);
    assertEquals(CodexOAuth.AUTHORIZE_ENDPOINT, codex.authorizeUrl());
    assertEquals(CodexOAuth.TOKEN_ENDPOINT, codex.tokenUrl());
    assertEquals(CodexOAuth.CLIENT_ID, codex.clientId());
    assertEquals(CodexOAuth.REDIRECT_URI, codex.redirectUri());
    assertEquals(Duration.ofSeconds(30), codex.timeout());
    assertEquals(Duration.ofMinutes(10), codex.sessionTtl());
  }

  @Test
  void theEnvironmentOverridesTheEndpointsClientAndRedirect() {
    RelaySettings.Accounts.Codex codex = read(Map.of(
        "CODEX_OAUTH_AUTHORIZE_URL", "https://auth.example.test/oauth/authorize",
        "CODEX_OAUTH_TOKEN_URL", "https://auth.example.test/oauth/token",
        "CODEX_OAUTH_CLIENT_ID", "app_other",
        "CODEX_OAUTH_REDIRECT_URI", "http://localhost:1456/auth/callback"));
    assertEquals("https://auth.example.test/oauth/authorize", codex.authorizeUrl());
    assertEquals("https://auth.example.test/oauth/token", codex.tokenUrl());
    assertEquals("app_other", codex.clientId());
    assertEquals("http://localhost:1456/auth/callback", codex.redirectUri());
  }

  @Test
  void settingsMadeWithoutTheCodexBlockUseTheDefaults() {
    RelaySettings.Accounts full = RelaySettings.Accounts.from(ConfigFactory.load().getConfig("relay.accounts"));
    RelaySettings.Accounts older = new RelaySettings.Accounts(full.refreshAhead(), full.maxCoolingShare(),
        full.cooldowns(), full.recentErrors(), full.testModel(), full.oauth());
    assertEquals(RelaySettings.Accounts.Codex.DEFAULTS, older.codexOauth());
  }
}
