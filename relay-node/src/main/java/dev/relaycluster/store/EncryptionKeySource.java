package dev.relaycluster.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the secret behind credential encryption: ENCRYPTION_KEY, or on the embedded default a key
 * generated once into {@code data/encryption.key} (mode 0600). A shared database needs the variable,
 * since every node must hold the same key.
 */
public final class EncryptionKeySource {
  private static final Logger log = LoggerFactory.getLogger(EncryptionKeySource.class);
  static final String FILE_NAME = "encryption.key";

  private EncryptionKeySource() {}

  public static String resolve(String configured, boolean embedded, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      if (configured.length() < 32) {
        throw new IllegalArgumentException("ENCRYPTION_KEY must be at least 32 characters");
      }
      return configured;
    }
    if (!embedded) {
      throw new IllegalArgumentException(
          "ENCRYPTION_KEY (32+ characters) must be set when RELAY_DB_URL is used: every node needs the same key");
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String key = HexFormat.of().formatHex(bytes);
      PrivateFiles.write(file, key + "\n");
      log.warn("ENCRYPTION_KEY is not set: generated one into {} (keep this file; stored credentials need it)", file);
      return key;
    } catch (IOException e) {
      throw new StorageException("cannot read or write " + file + ": " + e.getMessage(), e);
    }
  }
}
