package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageProfileTest {

  private record Db(String url, String user, String password, int poolSize) implements DbSettings {}

  private record Settings(DbSettings db, Path dataDir) implements StorageSettings {}

  @Test
  void theEmbeddedFileOpensWithTheRelaysCompactFillRate(@TempDir Path dir) throws Exception {
    StorageProfile profile = StorageProfile.from(new Settings(new Db("", "", "", 4), dir));
    assertEquals(SqlDialect.H2, profile.dialect());
    try (Connection c = DriverManager.getConnection(profile.jdbcUrl(), profile.user(), profile.password());
         PreparedStatement st = c.prepareStatement(
             "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'AUTO_COMPACT_FILL_RATE'");
         ResultSet rs = st.executeQuery()) {
      rs.next();
      assertEquals(String.valueOf(StorageProfile.EMBEDDED_COMPACT_FILL_RATE), rs.getString(1));
    }
  }

  @Test
  void aDatabaseUrlIsUsedAsGiven() {
    StorageProfile profile = StorageProfile.from(new Settings(
        new Db("jdbc:postgresql://db:5432/relay", "relay", "secret", 8), Path.of("/nonexistent")));
    assertEquals("jdbc:postgresql://db:5432/relay", profile.jdbcUrl());
    assertEquals(SqlDialect.POSTGRES, profile.dialect());
    assertEquals(8, profile.poolSize());
  }
}
