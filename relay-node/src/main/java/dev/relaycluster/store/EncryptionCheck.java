package dev.relaycluster.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;

/**
 * Refuses to start with an ENCRYPTION_KEY other than the one the stored credentials were sealed
 * with: a known value sealed on first start must open again on every later start.
 */
public final class EncryptionCheck {
  public static final String TABLE = "relay_meta";
  private static final String NAME = "encryption-check";
  private static final byte[] PROBE = "relay-cluster encryption check".getBytes(StandardCharsets.UTF_8);

  private EncryptionCheck() {}

  public static List<String> ddl() {
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE
        + " (name VARCHAR(100) PRIMARY KEY, meta_value VARCHAR(2000) NOT NULL)");
  }

  public static void verify(Database database, CredentialCipher cipher) {
    database.sync(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT meta_value FROM " + TABLE + " WHERE name = ?")) {
        st.setString(1, NAME);
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            try {
              cipher.decrypt(Base64.getDecoder().decode(rs.getString(1)), NAME);
              return null;
            } catch (CredentialDecryptionException e) {
              throw new StorageException("ENCRYPTION_KEY differs from the one this database's credentials were "
                  + "encrypted with; start with the original key");
            }
          }
        }
      }
      String sealed = Base64.getEncoder().encodeToString(cipher.encrypt(PROBE, NAME));
      try (PreparedStatement ins = c.prepareStatement(
          database.dialect().insertIgnoringDuplicates(TABLE, "name", "name", "meta_value"))) {
        ins.setString(1, NAME);
        ins.setString(2, sealed);
        ins.executeUpdate();
      }
      return null;
    });
  }
}
