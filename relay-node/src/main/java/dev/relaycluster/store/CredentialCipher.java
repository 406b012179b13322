package dev.relaycluster.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * AES-256-GCM for upstream credentials at rest. The key is derived from ENCRYPTION_KEY with
 * HKDF-SHA256; each value gets a random 96-bit nonce and the record id as associated data, so a
 * ciphertext copied onto another record does not decrypt. Layout: version byte, nonce, ciphertext+tag.
 */
public final class CredentialCipher {
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] SALT = "relay-cluster/credentials".getBytes(StandardCharsets.UTF_8);
  private static final byte[] INFO = "aes-256-gcm/v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private CredentialCipher(byte[] keyBytes) {
    this.key = new SecretKeySpec(keyBytes, "AES");
  }

  /** Derives the AES key from the operator's secret (at least 32 characters). */
  public static CredentialCipher fromSecret(String secret) {
    if (secret == null || secret.length() < 32) {
      throw new IllegalArgumentException("ENCRYPTION_KEY must be at least 32 characters");
    }
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(secret.getBytes(StandardCharsets.UTF_8), SALT, INFO));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, out.length);
    return new CredentialCipher(out);
  }

  public byte[] encrypt(byte[] plaintext, String recordId) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(recordId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
      out[0] = VERSION;
      System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** Decrypts, or throws {@link CredentialDecryptionException} when the key, record id or bytes do not match. */
  public byte[] decrypt(byte[] sealed, String recordId) {
    if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new CredentialDecryptionException("credential blob is malformed");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES)));
      cipher.updateAAD(recordId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new CredentialDecryptionException("credential does not decrypt with this ENCRYPTION_KEY");
    }
  }
}
