package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.junit.jupiter.api.Test;

/**
 * A usage record can always be written as its event: a model with an unpaired surrogate (a client's JSON
 * escape) is kept with U+FFFD in its place. The CBOR writer refused the raw one, the event was rejected and the
 * key's entity stopped.
 */
class UsageRecordTextTest {

  @Test
  void unpairedSurrogatesAreReplacedSoTheRecordSerializes() {
    UsageRecord r = new UsageRecord("req-1", "key-1", null, "claude", "messages", "\ud800x", "x\udc00", false,
        10, 0, 0, 0, 0, 5, 0, 0, 0, 5, 5, "test", true, 200, RequestOutcome.COMPLETED, null, 1L, 5, 4, 1, null,
        "agent\ud800", null, null);
    assertEquals("\ufffdx", r.model());
    assertEquals("x\ufffd", r.servedModel());
    assertEquals("agent\ufffd", r.userAgent());
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    assertDoesNotThrow(() -> cbor.writeValueAsBytes(r));
  }
}
