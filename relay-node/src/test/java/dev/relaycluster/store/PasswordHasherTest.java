package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private static final String PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$";

  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void hashIsAPhcStringWithTheOwaspParameters() {
    String phc = hasher.hash("correct horse");
    assertTrue(phc.startsWith(PREFIX), phc);
    String[] parts = phc.substring(PREFIX.length()).split("\\$");
    assertEquals(2, parts.length, phc);
    // 16-byte salt and 32-byte hash, unpadded base64
    assertEquals(22, parts[0].length(), phc);
    assertEquals(43, parts[1].length(), phc);
  }

  @Test
  void verifiesTheRightPassword() {
    String phc = hasher.hash("correct horse");
    assertTrue(hasher.verify("correct horse", phc));
    assertTrue(new PasswordHasher().verify("correct horse", phc));
  }

  @Test
  void rejectsAWrongPassword() {
    String phc = hasher.hash("correct horse");
    assertFalse(hasher.verify("correct horsf", phc));
    assertFalse(hasher.verify("", phc));
  }

  @Test
  void rejectsGarbageAndNull() {
    assertFalse(hasher.verify("pw", null));
    assertFalse(hasher.verify("pw", ""));
    assertFalse(hasher.verify("pw", "not a hash"));
    assertFalse(hasher.verify("pw", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"));
    assertFalse(hasher.verify("pw", "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"));
    assertFalse(hasher.verify("pw", "$argon2id$v=19$m=abc,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"));
    assertFalse(hasher.verify("pw", "$argon2id$v=19$x=1,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"));
    assertFalse(hasher.verify("pw", "$argon2id$v=19$m=19456,t=2,p=1$***$***"));
    assertFalse(hasher.verify("pw", "$argon2id$v=19$m=19456,t=2,p=1$onlysalt"));
  }

  /**
   * Well-formed PHC strings whose parameters Argon2 cannot run with (hash shorter than 4 bytes,
   * t=0, p=0 or missing) are garbage too: verify must answer false, not throw.
   */
  @Test
  void rejectsWellFormedStringsWithImpossibleParameters() {
    assertFalse(hasher.verify("pw", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFz"));
    assertFalse(hasher.verify("pw", "$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2g"));
    assertFalse(hasher.verify("pw", "$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2g"));
    assertFalse(hasher.verify("pw", "$argon2id$v=19$m=19456,t=2$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2g"));
  }

  @Test
  void tamperedHashDoesNotVerify() {
    String phc = hasher.hash("pw");
    char last = phc.charAt(phc.length() - 2);
    String tampered = phc.substring(0, phc.length() - 2) + (last == 'A' ? 'B' : 'A') + phc.charAt(phc.length() - 1);
    assertFalse(hasher.verify("pw", tampered));
  }

  @Test
  void twoHashesOfTheSamePasswordDiffer() {
    String a = hasher.hash("same");
    String b = hasher.hash("same");
    assertNotEquals(a, b);
    assertTrue(hasher.verify("same", a));
    assertTrue(hasher.verify("same", b));
  }
}
