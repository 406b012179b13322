package dev.relaycluster.admin.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.config.OidcSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** relay.oidc from configuration: defaults, what turns it on, what is refused, the secret kept out of sight. */
class OidcSettingsTest {
  private static OidcSettings read(Map<String, Object> oidc) {
    Map<String, Object> cfg = new HashMap<>();
    oidc.forEach((k, v) -> cfg.put("relay.oidc." + k, v));
    return OidcSettings.from(ConfigFactory.parseMap(cfg).withFallback(ConfigFactory.load()));
  }

  @Test
  void offByDefaultWithPasswordLoginOn() {
    OidcSettings s = OidcSettings.from(ConfigFactory.load());
    assertFalse(s.enabled());
    assertFalse(s.passwordLoginOff());
    assertEquals("openid profile email", s.scopes());
    assertEquals("preferred_username", s.usernameClaim());
    // Password login cannot be turned off without a way in through the issuer.
    assertFalse(read(Map.of("password-login", "off")).passwordLoginOff());
  }

  @Test
  void onWithAnIssuerAndAClientAndTheSecretNeverPrinted() {
    OidcSettings s = read(Map.of("issuer", "https://login.example.test/realms/ops", "client-id", "relay",
        "client-secret", "s3cr3t-value", "role-claim", "groups", "role-map", "ops=admin", "password-login", "off"));
    assertTrue(s.enabled());
    assertTrue(s.passwordLoginOff());
    assertEquals("login.example.test", s.displayLabel());
    assertFalse(s.toString().contains("s3cr3t-value"), s.toString());
  }

  @Test
  void incompleteSettingsFailTheStart() {
    assertThrows(ConfigException.class, () -> read(Map.of("issuer", "https://login.example.test")));
    assertThrows(ConfigException.class, () -> read(Map.of("issuer", "https://login.example.test", "client-id", "x")));
    assertThrows(ConfigException.class, () -> read(Map.of("issuer", "login.example.test", "client-id", "x",
        "role-claim", "groups")));
    assertThrows(ConfigException.class, () -> read(Map.of("issuer", "https://login.example.test", "client-id", "x",
        "role-claim", "groups", "scopes", "profile email")));
    assertThrows(ConfigException.class, () -> read(Map.of("password-login", "maybe")));
  }
}
