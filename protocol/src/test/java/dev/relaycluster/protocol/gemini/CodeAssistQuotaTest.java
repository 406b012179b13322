package dev.relaycluster.protocol.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.gemini.CodeAssistQuota.Bucket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeAssistQuotaTest {

  @Test
  void requestBodyNamesTheProject() {
    assertEquals("{\"project\":\"wise-river-abc12\"}",
        new String(CodeAssistQuota.requestBody("wise-river-abc12"), StandardCharsets.UTF_8));
  }

  @Test
  void readsBucketsAndTheFullestOneIsTheUtilisation() {
    List<Bucket> buckets = CodeAssistQuota.read(bytes("""
        {"buckets":[
          {"remainingAmount":"912","remainingFraction":0.912,"resetTime":"2025-08-02T00:00:00Z",
           "tokenType":"REQUESTS","modelId":"gemini-2.5-flash"},
          {"remainingFraction":0.25,"resetTime":"2025-08-02T00:00:00.000Z","tokenType":"REQUESTS",
           "modelId":"gemini-2.5-pro"},
          {"remainingAmount":"0","tokenType":"REQUESTS","modelId":"gemini-2.0-flash"}
        ]}
        """));
    assertEquals(3, buckets.size());
    Bucket flash = buckets.get(0);
    assertEquals("gemini-2.5-flash", flash.modelId());
    assertEquals("REQUESTS", flash.tokenType());
    assertEquals(912, flash.remainingAmount());
    assertEquals(0.912, flash.remainingFraction(), 1e-9);
    assertEquals(Instant.parse("2025-08-02T00:00:00Z").toEpochMilli(), flash.resetAt());
    assertEquals(-1, buckets.get(1).remainingAmount());
    assertEquals(-1, buckets.get(2).remainingFraction(), "no fraction: unknown, not empty");
    assertEquals(0, buckets.get(2).resetAt());
    assertEquals(0.75, CodeAssistQuota.utilisation(buckets), 1e-9);
  }

  @Test
  void noBucketsNoUtilisation() {
    assertEquals(List.of(), CodeAssistQuota.read(bytes("{}")));
    assertEquals(-1, CodeAssistQuota.utilisation(List.of()));
    assertEquals(-1, CodeAssistQuota.utilisation(List.of(new Bucket(null, null, 5, -1, 0))));
    Bucket odd = CodeAssistQuota.read(bytes("{\"buckets\":[{\"remainingFraction\":1.7},7]}")).get(0);
    assertEquals(1.0, odd.remainingFraction());
    assertNull(odd.modelId());
    assertThrows(IllegalArgumentException.class, () -> CodeAssistQuota.read(bytes("[]")));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
