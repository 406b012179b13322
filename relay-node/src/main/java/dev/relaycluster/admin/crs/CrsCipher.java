package dev.relaycluster.admin.crs;

import dev.relaycluster.protocol.util.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * claude-relay-service's secret storage, read only (pure). Account secrets are AES-256-CBC with PKCS#7 padding,
 * stored as {@code hex(iv):hex(ciphertext)}, under the key {@code scrypt(ENCRYPTION_KEY, salt, N=16384, r=8, p=1,
 * 32 bytes)} with a fixed salt per account type ({@link #SALTS}); Bedrock credentials are a JSON object
 * {@code {encrypted, iv}} under {@code sha256(ENCRYPTION_KEY)}. API keys are kept as
 * {@code sha256(plainKey + ENCRYPTION_KEY)}. CBC has no authentication tag, so a wrong key is noticed by a padding
 * error or by a result that is not UTF-8 text: {@link #decrypt} fails then.
 */
public final class CrsCipher {
  /** The scrypt salt of each CRS account kind (its Redis key prefix). */
  public static final Map<String, String> SALTS = Map.of(
      "claude:account:", "salt",
      "claude_console_account:", "claude-console-salt",
      "openai:account:", "openai-account-salt",
      "openai_responses_account:", "openai-responses-salt",
      "gemini_account:", "gemini-account-salt",
      "gemini_api_account:", "gemini-api-salt",
      "azure_openai:account:", "azure-openai-account-default-salt",
      "droid:account:", "droid-account-salt",
      "ccr_account:", "ccr-account-salt");

  /** A value that is not CRS ciphertext for this key: wrong ENCRYPTION_KEY or a damaged value. */
  public static final class DecryptionFailed extends Exception {
    DecryptionFailed(String message) {
      super(message, null, false, false);
    }
  }

  private final String encryptionKey;
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();

  /** How many encrypted values opened with this key, and how many did not: a wrong key opens none. */
  public int opened() {
    return opened.get();
  }

  public int failed() {
    return failed.get();
  }

  public CrsCipher(String encryptionKey) {
    if (encryptionKey == null || encryptionKey.isEmpty()) {
      throw new IllegalArgumentException("the encryption key is empty");
    }
    this.encryptionKey = encryptionKey;
  }

  /** The hash CRS keeps for a plain API key (the key of {@code apikey:hash_map}). */
  public static String keyHash(String plainKey, String encryptionKey) {
    return Hashing.sha256Hex(plainKey + encryptionKey);
  }

  public String keyHash(String plainKey) {
    return keyHash(plainKey, encryptionKey);
  }

  /** Whether a stored value is ciphertext ({@code hex:hex}); CRS keeps a value without a colon as it is. */
  public static boolean sealed(String stored) {
    return stored != null && stored.matches("[0-9a-fA-F]{32}:[0-9a-fA-F]+");
  }

  /**
   * The plain text of a value CRS encrypted with {@code salt}: "" for an empty value, the value itself when it
   * was stored unencrypted (no colon), else the decryption.
   */
  public String decrypt(String stored, String salt) throws DecryptionFailed {
    if (stored == null || stored.isEmpty()) {
      return "";
    }
    if (!stored.contains(":")) {
      return stored;
    }
    if (!sealed(stored)) {
      failed.incrementAndGet();
      throw new DecryptionFailed("not of the form hex(iv):hex(ciphertext)");
    }
    int colon = stored.indexOf(':');
    return open(keys.computeIfAbsent("scrypt:" + salt, k -> scrypt(salt)), stored.substring(0, colon),
        stored.substring(colon + 1));
  }

  /** A Bedrock credential object {@code {encrypted, iv}} (hex), under {@code sha256(ENCRYPTION_KEY)}. */
  public String decryptBedrock(String encryptedHex, String ivHex) throws DecryptionFailed {
    if (encryptedHex == null || ivHex == null || !ivHex.matches("[0-9a-fA-F]{32}")
        || !encryptedHex.matches("[0-9a-fA-F]+")) {
      failed.incrementAndGet();
      throw new DecryptionFailed("not an {encrypted, iv} pair of hex strings");
    }
    return open(keys.computeIfAbsent("sha256", k -> sha256(encryptionKey)), ivHex, encryptedHex);
  }

  private String open(byte[] key, String ivHex, String ctHex) throws DecryptionFailed {
    try {
      String text = openText(key, ivHex, ctHex);
      opened.incrementAndGet();
      return text;
    } catch (DecryptionFailed e) {
      failed.incrementAndGet();
      throw e;
    }
  }

  private static String openText(byte[] key, String ivHex, String ctHex) throws DecryptionFailed {
    byte[] plain;
    try {
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
          new IvParameterSpec(HexFormat.of().parseHex(ivHex)));
      plain = c.doFinal(HexFormat.of().parseHex(ctHex));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new DecryptionFailed("does not decrypt with this encryption key");
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(plain)).toString();
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') {
          throw new DecryptionFailed("decrypts to binary, not text: wrong encryption key");
        }
      }
      return text;
    } catch (CharacterCodingException e) {
      throw new DecryptionFailed("decrypts to binary, not text: wrong encryption key");
    }
  }

  private byte[] scrypt(String salt) {
    return SCrypt.generate(encryptionKey.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8),
        16384, 8, 1, 32);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
