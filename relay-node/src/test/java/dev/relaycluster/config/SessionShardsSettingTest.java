package dev.relaycluster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code relay.session.shards}: 100 unless {@code RELAY_SESSION_SHARDS} says otherwise, and at least one. */
class SessionShardsSettingTest {

  private static Config read(Map<String, String> environment) {
    return ConfigFactory.parseMap(environment).withFallback(ConfigFactory.parseResources("application.conf")).resolve();
  }

  @Test
  void aHundredByDefaultAndTheEnvironmentOverrides() {
    assertEquals(100, RelaySettings.from(read(Map.of())).sessionShards());
    assertEquals(30, RelaySettings.from(read(Map.of("RELAY_SESSION_SHARDS", "30"))).sessionShards());
  }

  @Test
  void noShardsIsRefusedAtStart() {
    ConfigException e = assertThrows(ConfigException.BadValue.class,
        () -> RelaySettings.from(read(Map.of("RELAY_SESSION_SHARDS", "0"))));
    assertEquals(true, e.getMessage().contains("relay.session.shards"), e.getMessage());
  }
}
