package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The connection cap under the open-files limit: two descriptors per API connection, one per reserved one. */
class ConnectionCapTest {

  @Test
  void aHighLimitKeepsTheConfiguredCap() {
    ConnectionCap cap = ConnectionCap.of(32_768, 32, 256, 1_048_576);
    assertEquals(32_768, cap.api());
    assertEquals(32_768 + 32, cap.accepted());
    assertFalse(cap.limitedByFiles());
  }

  @Test
  void aLowLimitLowersTheCapSoThatEveryStreamAndTheNodeStillHaveDescriptors() {
    // 20,000 descriptors (the benchmark machine's hard limit): 256 for the node, 32 reserved connections,
    // the rest at two per relayed stream.
    ConnectionCap cap = ConnectionCap.of(32_768, 32, 256, 20_000);
    assertEquals((20_000 - 256 - 32) / 2, cap.api());
    assertTrue(cap.limitedByFiles());
    assertTrue(2L * cap.api() + cap.reserved() + 256 <= 20_000);
    // The common default soft limit.
    assertEquals((1_024 - 256 - 32) / 2, ConnectionCap.of(32_768, 32, 256, 1_024).api());
  }

  @Test
  void anUnknownLimitKeepsTheConfiguredCap() {
    ConnectionCap cap = ConnectionCap.of(500, 8, 256, -1);
    assertEquals(500, cap.api());
    assertEquals(508, cap.accepted());
    assertFalse(cap.limitedByFiles());
  }

  @Test
  void aLimitThatLeavesNothingForClientsRefusesToStart() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConnectionCap.of(100, 32, 256, 280));
    assertTrue(e.getMessage().contains("ulimit -n"), e.getMessage());
  }

  @Test
  void thisProcessHasALimit() {
    // Linux and macOS tell it; the tests run on one of them.
    assertTrue(ConnectionCap.processOpenFilesLimit() > 0);
  }
}
