package dev.relaycluster.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AlertSigningTest {

  @Test
  void hmacAgreesWithTheRfc4231Vector() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        HexFormat.of().formatHex(IndependentHmac.sha256("Jefe", "what do ya want for nothing?")));
  }

  @Test
  void feishuSignsTimestampNewlineSecretAsTheKeyOfAnEmptyMessage() {
    String secret = "QvTcS2HCLtNfDnbgnY4Tke";
    long ts = 1_599_360_473L;
    String expected = Base64.getEncoder().encodeToString(IndependentHmac.sha256(ts + "\n" + secret, ""));
    assertEquals(expected, AlertSigning.feishu(secret, ts));
    assertNotEquals(expected, AlertSigning.feishu(secret, ts + 1));
    assertNotEquals(expected, AlertSigning.feishu(secret + "x", ts));
  }

  @Test
  void dingTalkSignsTimestampNewlineSecretWithTheSecretAndUrlEncodesIt() {
    String secret = "SEC1f4a3c0f5c2a7e9d8b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c";
    long ts = 1_552_920_546_388L;
    String base64 = Base64.getEncoder().encodeToString(IndependentHmac.sha256(secret, ts + "\n" + secret));
    String sign = AlertSigning.dingTalk(secret, ts);
    assertEquals(base64, URLDecoder.decode(sign, StandardCharsets.UTF_8));
    assertFalse(sign.contains("+") || sign.contains("/") || sign.contains("="), sign);
    // A 32-byte MAC in Base64 always ends in '=', often holds '+' or '/': all must arrive percent-encoded.
    for (long t = ts; t < ts + 50; t++) {
      String raw = Base64.getEncoder().encodeToString(IndependentHmac.sha256(secret, t + "\n" + secret));
      String expected = raw.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");
      assertEquals(expected, AlertSigning.dingTalk(secret, t));
    }
  }

  @Test
  void genericSignatureCoversTimestampAndBody() {
    byte[] body = "{\"kind\":\"blocked\"}".getBytes(StandardCharsets.UTF_8);
    String expected = "sha256=" + HexFormat.of().formatHex(
        IndependentHmac.sha256("whsec-123", "1700000000.{\"kind\":\"blocked\"}"));
    assertEquals(expected, AlertSigning.generic("whsec-123", 1_700_000_000L, body));
    assertNotEquals(expected, AlertSigning.generic("whsec-123", 1_700_000_001L, body));
  }
}
