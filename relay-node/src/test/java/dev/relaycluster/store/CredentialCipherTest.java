package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final byte[] PLAIN = "sk-ant-api03-secret-value".getBytes(StandardCharsets.UTF_8);

  private final CredentialCipher cipher = CredentialCipher.fromSecret(SECRET);

  @Test
  void roundTrip() {
    byte[] sealed = cipher.encrypt(PLAIN, "account:a1");
    assertArrayEquals(PLAIN, cipher.decrypt(sealed, "account:a1"));
  }

  @Test
  void roundTripWithAnotherInstanceOfTheSameSecret() {
    byte[] sealed = cipher.encrypt(PLAIN, "account:a1");
    assertArrayEquals(PLAIN, CredentialCipher.fromSecret(SECRET).decrypt(sealed, "account:a1"));
  }

  @Test
  void emptyPlaintextRoundTrips() {
    byte[] sealed = cipher.encrypt(new byte[0], "r");
    assertEquals(1 + 12 + 16, sealed.length);
    assertArrayEquals(new byte[0], cipher.decrypt(sealed, "r"));
  }

  @Test
  void ciphertextDiffersEachTime() {
    byte[] a = cipher.encrypt(PLAIN, "account:a1");
    byte[] b = cipher.encrypt(PLAIN, "account:a1");
    assertFalse(Arrays.equals(a, b));
    assertFalse(Arrays.equals(Arrays.copyOfRange(a, 1, 13), Arrays.copyOfRange(b, 1, 13)), "nonces must differ");
  }

  @Test
  void decryptWithAnotherRecordIdFails() {
    byte[] sealed = cipher.encrypt(PLAIN, "account:a1");
    assertThrows(CredentialDecryptionException.class, () -> cipher.decrypt(sealed, "account:a2"));
  }

  @Test
  void flippedByteFails() {
    byte[] sealed = cipher.encrypt(PLAIN, "account:a1");
    for (int i : new int[] {1, 12, 13, sealed.length - 1}) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThrows(CredentialDecryptionException.class, () -> cipher.decrypt(tampered, "account:a1"),
          "flipped byte at " + i);
    }
  }

  @Test
  void wrongVersionOrTruncatedBlobFails() {
    byte[] sealed = cipher.encrypt(PLAIN, "account:a1");
    byte[] wrongVersion = sealed.clone();
    wrongVersion[0] = 2;
    assertThrows(CredentialDecryptionException.class, () -> cipher.decrypt(wrongVersion, "account:a1"));
    assertThrows(CredentialDecryptionException.class,
        () -> cipher.decrypt(Arrays.copyOf(sealed, 1 + 12 + 15), "account:a1"));
    assertThrows(CredentialDecryptionException.class, () -> cipher.decrypt(null, "account:a1"));
  }

  @Test
  void differentSecretFails() {
    byte[] sealed = cipher.encrypt(PLAIN, "account:a1");
    CredentialCipher other = CredentialCipher.fromSecret("0123456789abcdef0123456789abcdeX");
    assertThrows(CredentialDecryptionException.class, () -> other.decrypt(sealed, "account:a1"));
  }

  @Test
  void secretShorterThan32CharactersIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> CredentialCipher.fromSecret("0123456789abcdef0123456789abcde"));
    assertThrows(IllegalArgumentException.class, () -> CredentialCipher.fromSecret(""));
    assertThrows(IllegalArgumentException.class, () -> CredentialCipher.fromSecret(null));
  }

  @Test
  void layoutIsVersionNonceCiphertextTag() {
    byte[] sealed = cipher.encrypt(PLAIN, "account:a1");
    assertEquals(1, sealed[0]);
    assertEquals(1 + 12 + PLAIN.length + 16, sealed.length);
  }
}
