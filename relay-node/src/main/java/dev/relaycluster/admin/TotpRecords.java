package dev.relaycluster.admin;

import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The admins' two-factor state in the database: the TOTP secret sealed with the node's
 * {@link CredentialCipher} (AES-256-GCM, the admin's name as associated data), whether it is active, the
 * last time step a code was accepted for (a code is refused for that step and every earlier one, so it
 * cannot be used twice, on any node), and the recovery codes by SHA-256, each deleted when used.
 */
public final class TotpRecords {
  public static final String CODES_TABLE = "relay_admin_recovery_codes";
  private static final String TABLE = AdminUsers.TABLE;

  private final Database database;
  private final CredentialCipher cipher;

  public TotpRecords(Database database, CredentialCipher cipher) {
    this.database = database;
    this.cipher = cipher;
  }

  /** Stores a new, not yet active secret (replacing an earlier unconfirmed one); false if two-factor is on. */
  public CompletionStage<Boolean> storePending(String username, byte[] secret) {
    String sealed = Base64.getEncoder().encodeToString(cipher.encrypt(secret, associatedData(username)));
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE " + TABLE + " SET totp_secret = ?, totp_last_step = 0, "
          + "updated_at = ? WHERE username = ? AND totp_enabled = FALSE")) {
        st.setString(1, sealed);
        st.setLong(2, System.currentTimeMillis());
        st.setString(3, username);
        return st.executeUpdate() > 0;
      }
    });
  }

  /** The admin's secret (active or pending), opened. */
  public CompletionStage<Optional<byte[]>> secret(String username) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT totp_secret FROM " + TABLE + " WHERE username = ?")) {
        st.setString(1, username);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next() || rs.getString(1) == null) {
            return Optional.<byte[]>empty();
          }
          return Optional.of(cipher.decrypt(Base64.getDecoder().decode(rs.getString(1)), associatedData(username)));
        }
      }
    });
  }

  /**
   * Claims a time step for the admin: true only if no code was accepted for this step or a later one
   * (one atomic update, so two nodes cannot both accept the same code).
   */
  public CompletionStage<Boolean> claimStep(String username, long step) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE " + TABLE
          + " SET totp_last_step = ? WHERE username = ? AND totp_last_step < ?")) {
        st.setLong(1, step);
        st.setString(2, username);
        st.setLong(3, step);
        return st.executeUpdate() > 0;
      }
    });
  }

  /** Turns two-factor on and replaces the recovery codes with these (hashed) ones. */
  public CompletionStage<Void> activate(String username, List<String> codeHashes) {
    return database.async(c -> {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement st = c.prepareStatement("UPDATE " + TABLE
            + " SET totp_enabled = TRUE, updated_at = ? WHERE username = ? AND totp_secret IS NOT NULL")) {
          st.setLong(1, System.currentTimeMillis());
          st.setString(2, username);
          if (st.executeUpdate() == 0) {
            throw AdminRefusal.conflict("start the enrolment first: POST /admin/api/me/totp");
          }
        }
        deleteCodes(c, username);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + CODES_TABLE
            + " (username, code_hash, created_at) VALUES (?, ?, ?)")) {
          for (String hash : codeHashes) {
            st.setString(1, username);
            st.setString(2, hash);
            st.setLong(3, System.currentTimeMillis());
            st.addBatch();
          }
          st.executeBatch();
        }
        c.commit();
        return null;
      } catch (java.sql.SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  /** Turns two-factor off: forgets the secret and the recovery codes. */
  public CompletionStage<Void> clear(String username) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE " + TABLE + " SET totp_secret = NULL, "
          + "totp_enabled = FALSE, totp_last_step = 0, updated_at = ? WHERE username = ?")) {
        st.setLong(1, System.currentTimeMillis());
        st.setString(2, username);
        st.executeUpdate();
      }
      deleteCodes(c, username);
      return null;
    });
  }

  /** Uses up a recovery code: true if the admin had it (and now no longer has it). */
  public CompletionStage<Boolean> useRecoveryCode(String username, String codeHash) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM " + CODES_TABLE
          + " WHERE username = ? AND code_hash = ?")) {
        st.setString(1, username);
        st.setString(2, codeHash);
        return st.executeUpdate() > 0;
      }
    });
  }

  /** How many unused recovery codes the admin has. */
  public CompletionStage<Integer> recoveryCodesLeft(String username) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM " + CODES_TABLE + " WHERE username = ?")) {
        st.setString(1, username);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  private static void deleteCodes(java.sql.Connection c, String username) throws java.sql.SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM " + CODES_TABLE + " WHERE username = ?")) {
      st.setString(1, username);
      st.executeUpdate();
    }
  }

  private static String associatedData(String username) {
    return "admin-totp:" + username;
  }
}
