package dev.relaycluster.apikey;

import dev.relaycluster.store.CredentialCipher;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * The salt of an imported key's legacy hash (claude-relay-service's old ENCRYPTION_KEY) is a secret: it is kept
 * sealed by the node's cipher (AES-GCM, bound to this purpose) in the key's definition, as base64 text.
 */
public final class LegacySalt {
  private static final String RECORD = "apikey:legacy-salt";

  private LegacySalt() {}

  public static String seal(CredentialCipher cipher, String salt) {
    return Base64.getEncoder().encodeToString(cipher.encrypt(salt.getBytes(StandardCharsets.UTF_8), RECORD));
  }

  /** What {@link KeyDirectory} opens sealed salts with. */
  public static UnaryOperator<String> opener(CredentialCipher cipher) {
    return sealed -> new String(cipher.decrypt(Base64.getDecoder().decode(sealed), RECORD), StandardCharsets.UTF_8);
  }
}
