package dev.relaycluster.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.config.PortalSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RELAY_PUBLIC_URL as the node reads it (relay.portal.public-url). */
class PortalSettingsTest {
  private static PortalSettings of(String url) {
    return PortalSettings.from(ConfigFactory.parseMap(Map.of("relay.portal.public-url", url)));
  }

  @Test
  void emptyOrAbsentMeansTheRequestsAddress() {
    assertFalse(of("").publicUrlSet());
    assertFalse(PortalSettings.from(ConfigFactory.empty()).publicUrlSet());
    assertFalse(PortalSettings.from(ConfigFactory.load()).publicUrlSet(), "the default is empty");
  }

  @Test
  void anAddressIsKeptWithoutItsTrailingSlash() {
    assertTrue(of("https://relay.example.com/").publicUrlSet());
    assertEquals("https://relay.example.com", of(" https://relay.example.com/ ").publicUrl());
    assertEquals("http://10.1.2.3:3000/relay", of("http://10.1.2.3:3000/relay//").publicUrl());
  }

  @Test
  void anythingElseIsRefusedAtStart() {
    for (String bad : new String[] {"relay.example.com", "ftp://relay.example.com", "https://relay.example.com/?a=b",
        "https://user:pw@relay.example.com", "https://", "https://relay.example.com/#x"}) {
      assertThrows(ConfigException.BadValue.class, () -> of(bad), bad);
    }
  }
}
