package dev.relaycluster.admin;

import dev.relaycluster.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The admins, in a table every node reads: name, role, Argon2id hash, disabled, the time before which
 * their sessions no longer count, and their two-factor columns (written by {@link TotpRecords}). Changes
 * that could leave no enabled owner run in a transaction that locks the owners' rows first, so two owners
 * demoting each other at once cannot both succeed.
 */
public final class AdminUsers {
  public static final String TABLE = "relay_admin_users";
  static final String COLUMNS = "username, role, disabled, totp_enabled, created_at, updated_at, sessions_valid_after";

  private final Database database;

  public AdminUsers(Database database) {
    this.database = database;
  }

  /**
   * The admin tables. A database from before roles gets the new columns with defaults, so its one admin
   * becomes the owner ({@code ADD COLUMN IF NOT EXISTS} runs on H2 and PostgreSQL alike).
   */
  public static List<String> ddl() {
    String alter = "ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS ";
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (username VARCHAR(100) PRIMARY KEY, "
            + "password_hash VARCHAR(300) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
        alter + "role VARCHAR(20) DEFAULT 'owner' NOT NULL",
        alter + "disabled BOOLEAN DEFAULT FALSE NOT NULL",
        alter + "sessions_valid_after BIGINT DEFAULT 0 NOT NULL",
        alter + "totp_secret VARCHAR(300)",
        alter + "totp_enabled BOOLEAN DEFAULT FALSE NOT NULL",
        alter + "totp_last_step BIGINT DEFAULT 0 NOT NULL",
        "CREATE TABLE IF NOT EXISTS " + TotpRecords.CODES_TABLE + " (username VARCHAR(100) NOT NULL, "
            + "code_hash VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (username, code_hash))");
  }

  public CompletionStage<Optional<AdminUser>> find(String username) {
    return database.async(c -> find(c, username));
  }

  /** The admin and its password hash, for a login. */
  public CompletionStage<Optional<Credentials>> credentials(String username) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "SELECT " + COLUMNS + ", password_hash FROM " + TABLE + " WHERE username = ?")) {
        st.setString(1, username);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(new Credentials(user(rs), rs.getString(8))) : Optional.<Credentials>empty();
        }
      }
    });
  }

  /** An admin with the hash its password is checked against. */
  public record Credentials(AdminUser user, String passwordHash) {}

  /** Every admin, oldest first. */
  public CompletionStage<List<AdminUser>> list() {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
          + " ORDER BY created_at, username"); ResultSet rs = st.executeQuery()) {
        List<AdminUser> out = new ArrayList<>();
        while (rs.next()) {
          out.add(user(rs));
        }
        return out;
      }
    });
  }

  /** Adds an admin; false when the name is taken. */
  public CompletionStage<Boolean> insert(String username, AdminRole role, String passwordHash) {
    long now = System.currentTimeMillis();
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement(database.dialect().insertIgnoringDuplicates(TABLE, "username",
          "username", "password_hash", "role", "created_at", "updated_at"))) {
        st.setString(1, username);
        st.setString(2, passwordHash);
        st.setString(3, role.wireName());
        st.setLong(4, now);
        st.setLong(5, now);
        return st.executeUpdate() > 0;
      }
    });
  }

  /** Gives the admin a new role; refused (409) when it would demote the last enabled owner. */
  public CompletionStage<AdminUser> setRole(String username, AdminRole role) {
    return guarded(username, role != AdminRole.OWNER, "SET role = ?", st -> st.setString(1, role.wireName()));
  }

  /** Disables or enables the admin; refused (409) for the last enabled owner. Disabling ends its sessions. */
  public CompletionStage<AdminUser> setDisabled(String username, boolean disabled) {
    return guarded(username, disabled, "SET disabled = ?, sessions_valid_after = ?", st -> {
      st.setBoolean(1, disabled);
      st.setLong(2, System.currentTimeMillis());
    });
  }

  /** Sets a new password hash; sessions begun before now end. */
  public CompletionStage<AdminUser> setPassword(String username, String passwordHash) {
    return guarded(username, false, "SET password_hash = ?, sessions_valid_after = ?", st -> {
      st.setString(1, passwordHash);
      st.setLong(2, System.currentTimeMillis());
    });
  }

  /** Removes the admin and its recovery codes; refused (409) for the last enabled owner. */
  public CompletionStage<AdminUser> delete(String username) {
    return transaction(c -> {
      AdminUser user = lockAndCheck(c, username, true);
      for (String table : List.of(TotpRecords.CODES_TABLE, TABLE)) {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE username = ?")) {
          st.setString(1, username);
          st.executeUpdate();
        }
      }
      return user;
    });
  }

  private interface Binder {
    void bind(PreparedStatement st) throws SQLException;
  }

  /** An update of one admin that may take away owner rights ({@code losesOwner}): checked under lock. */
  private CompletionStage<AdminUser> guarded(String username, boolean losesOwner, String set, Binder binder) {
    return transaction(c -> {
      lockAndCheck(c, username, losesOwner);
      String sql = "UPDATE " + TABLE + " " + set + ", updated_at = ? WHERE username = ?";
      int params = (int) set.chars().filter(ch -> ch == '?').count();
      try (PreparedStatement st = c.prepareStatement(sql)) {
        binder.bind(st);
        st.setLong(params + 1, System.currentTimeMillis());
        st.setString(params + 2, username);
        st.executeUpdate();
      }
      return find(c, username).orElseThrow();
    });
  }

  /** Locks the enabled owners' rows; fails if the admin is unknown, or is the last owner and would lose that. */
  private static AdminUser lockAndCheck(Connection c, String username, boolean losesOwner) throws SQLException {
    List<String> owners = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT username FROM " + TABLE
        + " WHERE role = 'owner' AND disabled = FALSE FOR UPDATE"); ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        owners.add(rs.getString(1));
      }
    }
    AdminUser user = find(c, username).orElseThrow(() -> AdminInputException.notFound("no admin named " + username));
    if (losesOwner && owners.contains(username) && owners.size() == 1) {
      throw AdminRefusal.conflict(username + " is the last owner; make another admin owner first");
    }
    return user;
  }

  private <T> CompletionStage<T> transaction(Database.Work<T> work) {
    return database.async(c -> {
      c.setAutoCommit(false);
      try {
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  static Optional<AdminUser> find(Connection c, String username) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE username = ?")) {
      st.setString(1, username);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(user(rs)) : Optional.empty();
      }
    }
  }

  private static AdminUser user(ResultSet rs) throws SQLException {
    return new AdminUser(rs.getString(1), AdminRole.parse(rs.getString(2)).orElse(AdminRole.VIEWER), rs.getBoolean(3),
        rs.getBoolean(4), rs.getLong(5), rs.getLong(6), rs.getLong(7));
  }
}
