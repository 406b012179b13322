package dev.relaycluster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code relay.http}'s connection settings and the upstream stall cut-off: short defaults, each from the environment. */
class ConnectionSettingsTest {

  private static Config read(Map<String, String> environment) {
    // Substitutions resolve against the root, where the environment's variables sit.
    return ConfigFactory.parseMap(environment).withFallback(ConfigFactory.parseResources("application.conf")).resolve();
  }

  @Test
  void defaultsAreSecondsForClientsAndMinutesForUpstreamStalls() {
    Config config = read(Map.of());
    assertEquals(new ConnectionSettings(32_768, 32, 256, Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(30)), ConnectionSettings.from(config));
    assertEquals(Duration.ofMinutes(5), RelaySettings.from(config).upstream().idleTimeout());
  }

  @Test
  void theEnvironmentOverridesEach() {
    Config config = read(Map.of(
        "RELAY_MAX_CONNECTIONS", "1000",
        "RELAY_RESERVED_CONNECTIONS", "4",
        "RELAY_FILE_DESCRIPTOR_RESERVE", "512",
        "RELAY_HEADER_TIMEOUT", "5s",
        "RELAY_KEEP_ALIVE_TIMEOUT", "15s",
        "RELAY_BODY_IDLE_TIMEOUT", "20s",
        "RELAY_UPSTREAM_IDLE_TIMEOUT", "90s"));
    assertEquals(new ConnectionSettings(1000, 4, 512, Duration.ofSeconds(5), Duration.ofSeconds(15),
        Duration.ofSeconds(20)), ConnectionSettings.from(config));
    assertEquals(Duration.ofSeconds(90), RelaySettings.from(config).upstream().idleTimeout());
  }

  @Test
  void nonsenseIsRefused() {
    assertThrows(ConfigException.class, () -> ConnectionSettings.from(read(Map.of("RELAY_MAX_CONNECTIONS", "0"))));
    assertThrows(ConfigException.class, () -> ConnectionSettings.from(read(Map.of("RELAY_HEADER_TIMEOUT", "0s"))));
  }
}
