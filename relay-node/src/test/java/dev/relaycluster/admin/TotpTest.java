package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** TOTP against RFC 6238's own test vectors (appendix B, HMAC-SHA-1), and the ±1 step window. */
class TotpTest {
  private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
  /** Appendix B, SHA-1 rows: time in seconds, eight-digit TOTP. */
  private static final Object[][] RFC_VECTORS = {
      {59L, "94287082"}, {1111111109L, "07081804"}, {1111111111L, "14050471"},
      {1234567890L, "89005924"}, {2000000000L, "69279037"}, {20000000000L, "65353130"},
  };

  @Test
  void eightDigitCodesAreTheRfcsVectors() {
    Totp eight = new Totp(8);
    for (Object[] v : RFC_VECTORS) {
      assertEquals(v[1], eight.code(RFC_SEED, Instant.ofEpochSecond((Long) v[0])), "T=" + v[0]);
    }
  }

  @Test
  void sixDigitCodesAreTheLastSixDigitsOfTheVectors() {
    Totp six = new Totp();
    for (Object[] v : RFC_VECTORS) {
      assertEquals(((String) v[1]).substring(2), six.code(RFC_SEED, Instant.ofEpochSecond((Long) v[0])), "T=" + v[0]);
    }
  }

  @Test
  void aCodeCountsForItsStepAndOneStepEitherSideOnly() {
    Totp totp = new Totp();
    Instant t = Instant.ofEpochSecond(1234567890L);
    long step = Totp.stepAt(t);
    assertEquals(41152263L, step);
    String code = totp.code(RFC_SEED, t);
    assertEquals(OptionalLong.of(step), totp.matchingStep(RFC_SEED, code, t));
    assertEquals(OptionalLong.of(step), totp.matchingStep(RFC_SEED, code, t.plusSeconds(30)));
    assertEquals(OptionalLong.of(step), totp.matchingStep(RFC_SEED, code, t.minusSeconds(30)));
    assertTrue(totp.matchingStep(RFC_SEED, code, t.plusSeconds(60)).isEmpty());
    assertTrue(totp.matchingStep(RFC_SEED, code, t.minusSeconds(60)).isEmpty());
    assertEquals(OptionalLong.of(step), totp.matchingStep(RFC_SEED, " " + code + " ", t));
  }

  @Test
  void malformedCodesNeverMatch() {
    Totp totp = new Totp();
    Instant t = Instant.ofEpochSecond(59);
    String code = totp.code(RFC_SEED, t);
    assertTrue(totp.matchingStep(RFC_SEED, code.substring(1), t).isEmpty());
    assertTrue(totp.matchingStep(RFC_SEED, code + "0", t).isEmpty());
    assertTrue(totp.matchingStep(RFC_SEED, "abcdef", t).isEmpty());
    assertTrue(totp.matchingStep(RFC_SEED, null, t).isEmpty());
    assertTrue(totp.matchingStep(RFC_SEED, "", t).isEmpty());
  }

  @Test
  void theSecretIsShownAsBase32AndAsAnOtpauthUri() {
    assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(RFC_SEED));
    assertEquals(20, Totp.newSecret().length);
    assertEquals(32, Totp.base32(Totp.newSecret()).length());
    String uri = Totp.otpauthUri("ann smith@example", RFC_SEED);
    assertEquals("otpauth://totp/Relay%20Cluster:ann%20smith%40example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        + "&issuer=Relay%20Cluster&algorithm=SHA1&digits=6&period=30", uri);
  }
}
