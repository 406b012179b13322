package dev.relaycluster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSettingsTest {

  @Test
  void theDefaultsAskForNoToken() {
    MetricsSettings s = RelaySettings.from(ConfigFactory.load()).metrics();
    assertFalse(s.tokenRequired());
    assertEquals(50, s.maxModels());
  }

  @Test
  void aTokenIsReadAndNeverShown() {
    MetricsSettings s = MetricsSettings.from(ConfigFactory.parseMap(Map.of("relay.metrics.token", " s3cret-token ",
        "relay.metrics.max-models", 7)).withFallback(ConfigFactory.load()));
    assertTrue(s.tokenRequired());
    assertEquals("s3cret-token", s.token());
    assertEquals(7, s.maxModels());
    assertFalse(s.toString().contains("s3cret"), s.toString());
  }

  @Test
  void markedKeysAreReadFromACommaSeparatedList() {
    MetricsSettings s = MetricsSettings.from(ConfigFactory.parseMap(Map.of("relay.metrics.keys", " team-a, ,id-b "))
        .withFallback(ConfigFactory.load()));
    assertEquals(java.util.Set.of("team-a", "id-b"), s.keys());
    assertEquals(java.util.Set.of(), RelaySettings.from(ConfigFactory.load()).metrics().keys(), "none by default");
  }

  @Test
  void aModelCapBelowOneIsRefused() {
    assertThrows(ConfigException.BadValue.class, () -> new MetricsSettings("", 0));
  }
}
