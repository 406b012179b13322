package dev.relaycluster.admin;

import dev.relaycluster.store.Database;
import dev.relaycluster.store.EncryptionCheck;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CompletionStage;

/**
 * The admins' security settings, one row each in {@code relay_meta} so that every node reads the same:
 * for now whether two-factor is required of every admin. Read on each admin call, so a change holds at
 * once everywhere.
 */
public final class AdminSettings {
  private static final String REQUIRE_TWO_FACTOR = "admin-require-two-factor";

  private final Database database;

  public AdminSettings(Database database) {
    this.database = database;
  }

  public CompletionStage<Boolean> requireTwoFactor() {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT meta_value FROM " + EncryptionCheck.TABLE
          + " WHERE name = ?")) {
        st.setString(1, REQUIRE_TWO_FACTOR);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() && "true".equals(rs.getString(1));
        }
      }
    });
  }

  public CompletionStage<Boolean> setRequireTwoFactor(boolean required) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement(database.dialect().upsert(EncryptionCheck.TABLE, "name", "name",
          "meta_value"))) {
        st.setString(1, REQUIRE_TWO_FACTOR);
        st.setString(2, Boolean.toString(required));
        st.executeUpdate();
        return required;
      }
    });
  }
}
