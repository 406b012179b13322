package dev.relaycluster.node;

import dev.relaycluster.config.RelaySettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** relay.upstream.client: which client calls accounts without a proxy. */
class UpstreamClientSettingTest {
  private static RelaySettings.Upstream.Client client(String value) {
    Config config = value == null ? ConfigFactory.load()
        : ConfigFactory.parseString("relay.upstream.client = \"" + value + "\"").withFallback(ConfigFactory.load());
    return RelaySettings.from(config).upstream().client();
  }

  @Test
  void theDirectClientIsTheDefaultAndPekkoHttpCanBeChosen() {
    assertEquals(RelaySettings.Upstream.Client.DIRECT, client(null));
    assertEquals(RelaySettings.Upstream.Client.PEKKO, client("pekko-http"));
    assertEquals(RelaySettings.Upstream.Client.DIRECT, client(" Direct "));
  }

  @Test
  void anUnknownClientStopsTheNodeWithTheNameOfTheSetting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client("netty"));
    assertTrue(e.getMessage().contains("relay.upstream.client"), e.getMessage());
  }
}
