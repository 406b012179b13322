package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.EncryptionCheck;
import dev.relaycluster.store.PasswordHasher;
import dev.relaycluster.store.PrivateFiles;
import dev.relaycluster.store.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin, an owner. On first start, or when ADMIN_USERNAME / ADMIN_PASSWORD say otherwise, it is
 * (re)created as an enabled owner and the plain credentials are written to {@code data/init.json} (mode
 * 0600) for the operator; a configured admin that already matches is made an enabled owner again. Which
 * user is the bootstrap one is kept in {@code relay_meta}: a configured name that replaces it removes the
 * old bootstrap user, never the admins added through the API. Safe when several nodes start at once.
 */
public final class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
  private static final String TABLE = AdminUsers.TABLE;
  private static final String META = "admin-bootstrap-user";
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String[] COLUMNS =
      {"username", "password_hash", "role", "disabled", "created_at", "updated_at", "sessions_valid_after"};

  private final Database database;
  private final PasswordHasher hasher;

  public AdminBootstrap(Database database, PasswordHasher hasher) {
    this.database = database;
    this.hasher = hasher;
  }

  /** Makes sure an owner exists; returns where the credentials were written, if they were. */
  public Optional<Path> run(String configuredUser, String configuredPassword, Path dataDir) {
    Optional<String> previous = database.sync(AdminBootstrap::previousBootstrapUser);
    boolean configured = !configuredUser.isBlank() || !configuredPassword.isBlank();
    if (!configured) {
      if (previous.isPresent()) {
        database.sync(c -> remember(c, previous.get()));
        return Optional.empty();
      }
      String password = randomPassword(24);
      boolean inserted = write(database.dialect().insertIgnoringDuplicates(TABLE, "username", COLUMNS), "admin",
          password);
      return inserted ? Optional.of(writeFile(dataDir, "admin", password)) : Optional.empty();
    }
    String username = configuredUser.isBlank() ? previous.orElse("admin") : configuredUser;
    Optional<String> hash = database.sync(c -> passwordHash(c, username));
    if (hash.isPresent() && (configuredPassword.isBlank() || hasher.verify(configuredPassword, hash.get()))) {
      database.sync(c -> {
        try (PreparedStatement st = c.prepareStatement("UPDATE " + TABLE
            + " SET role = 'owner', disabled = FALSE WHERE username = ? AND (role <> 'owner' OR disabled = TRUE)")) {
          st.setString(1, username);
          st.executeUpdate();
        }
        replaced(c, previous, username);
        return remember(c, username);
      });
      return Optional.empty();
    }
    String password = configuredPassword.isBlank() ? randomPassword(24) : configuredPassword;
    write(database.dialect().upsert(TABLE, "username", COLUMNS), username, password);
    database.sync(c -> {
      replaced(c, previous, username);
      return remember(c, username);
    });
    return Optional.of(writeFile(dataDir, username, password));
  }

  /** A random password of the given length from an alphabet without look-alike characters. */
  static String randomPassword(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /** The bootstrap user recorded, else (a database from before it was recorded) the oldest owner. */
  private static Optional<String> previousBootstrapUser(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT meta_value FROM " + EncryptionCheck.TABLE
        + " WHERE name = ?")) {
      st.setString(1, META);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next() && passwordHash(c, rs.getString(1)).isPresent()) {
          return Optional.of(rs.getString(1));
        }
      }
    }
    try (PreparedStatement st = c.prepareStatement("SELECT username FROM " + TABLE
        + " ORDER BY CASE WHEN role = 'owner' THEN 0 ELSE 1 END, created_at, username");
         ResultSet rs = st.executeQuery()) {
      return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
    }
  }

  private static Optional<String> passwordHash(Connection c, String username) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT password_hash FROM " + TABLE + " WHERE username = ?")) {
      st.setString(1, username);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** A configured name replaces the earlier bootstrap user, as it did when there was only one admin. */
  private static void replaced(Connection c, Optional<String> previous, String username) throws SQLException {
    if (previous.isEmpty() || previous.get().equals(username)) {
      return;
    }
    for (String table : new String[] {TotpRecords.CODES_TABLE, TABLE}) {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE username = ?")) {
        st.setString(1, previous.get());
        st.executeUpdate();
      }
    }
    log.info("Bootstrap admin '{}' replaced by the configured '{}'", previous.get(), username);
  }

  private Void remember(Connection c, String username) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(database.dialect().upsert(EncryptionCheck.TABLE, "name", "name",
        "meta_value"))) {
      st.setString(1, META);
      st.setString(2, username);
      st.executeUpdate();
    }
    return null;
  }

  /** Writes the owner row with the statement given; true when a row was written. */
  private boolean write(String sql, String username, String password) {
    String hash = hasher.hash(password);
    long now = System.currentTimeMillis();
    return database.sync(c -> {
      try (PreparedStatement ins = c.prepareStatement(sql)) {
        ins.setString(1, username);
        ins.setString(2, hash);
        ins.setString(3, AdminRole.OWNER.wireName());
        ins.setBoolean(4, false);
        ins.setLong(5, now);
        ins.setLong(6, now);
        ins.setLong(7, now);
        boolean written = ins.executeUpdate() > 0;
        if (written) {
          remember(c, username);
        }
        return written;
      }
    });
  }

  private static Path writeFile(Path dataDir, String username, String password) {
    Path file = dataDir.resolve("init.json");
    try {
      ObjectNode json = new ObjectMapper().createObjectNode().put("username", username).put("password", password);
      PrivateFiles.write(file, json.toPrettyString() + "\n");
    } catch (IOException e) {
      throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
    }
    log.info("Admin credentials for '{}' written to {}", username, file);
    return file;
  }
}
