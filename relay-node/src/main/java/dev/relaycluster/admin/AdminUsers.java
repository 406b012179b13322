package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.PasswordHasher;
import dev.relaycluster.store.PrivateFiles;
import dev.relaycluster.store.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin account: an Argon2id hash in the database (shared by every node). On first start, or
 * when ADMIN_USERNAME / ADMIN_PASSWORD say otherwise, it is (re)created and the plain credentials are
 * written to {@code data/init.json} (mode 0600) for the operator.
 */
public final class AdminUsers {
  private static final Logger log = LoggerFactory.getLogger(AdminUsers.class);
  public static final String TABLE = "relay_admin_users";
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private final Database database;
  private final PasswordHasher hasher;

  public AdminUsers(Database database, PasswordHasher hasher) {
    this.database = database;
    this.hasher = hasher;
  }

  public static List<String> ddl() {
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (username VARCHAR(100) PRIMARY KEY, "
        + "password_hash VARCHAR(300) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)");
  }

  /**
   * Makes sure an admin exists; returns where the credentials were written, if they were. Safe when
   * several nodes start at once on one database: a generated admin is only inserted if none exists,
   * and a configured one is upserted with the same password by every node.
   */
  public Optional<Path> bootstrap(String configuredUser, String configuredPassword, Path dataDir) {
    Optional<String[]> existing = database.sync(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT username, password_hash FROM " + TABLE);
           ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.<String[]>empty();
      }
    });
    boolean configured = !configuredUser.isBlank() || !configuredPassword.isBlank();
    if (!configured) {
      if (existing.isPresent()) {
        return Optional.empty();
      }
      String password = randomPassword();
      boolean inserted = write(database.dialect().insertIgnoringDuplicates(TABLE, "username", COLUMNS), "admin", password,
          false);
      return inserted ? Optional.of(writeFile(dataDir, "admin", password)) : Optional.empty();
    }
    String username = configuredUser.isBlank() ? existing.map(e -> e[0]).orElse("admin") : configuredUser;
    if (existing.isPresent() && existing.get()[0].equals(username)
        && (configuredPassword.isBlank() || hasher.verify(configuredPassword, existing.get()[1]))) {
      return Optional.empty();
    }
    String password = configuredPassword.isBlank() ? randomPassword() : configuredPassword;
    write(database.dialect().upsert(TABLE, "username", COLUMNS), username, password, true);
    return Optional.of(writeFile(dataDir, username, password));
  }

  private static final String[] COLUMNS = {"username", "password_hash", "created_at", "updated_at"};

  /** Writes the admin row with the statement given; with {@code onlyAdmin}, removes every other admin. */
  private boolean write(String sql, String username, String password, boolean onlyAdmin) {
    String hash = hasher.hash(password);
    long now = System.currentTimeMillis();
    return database.sync(c -> {
      try (PreparedStatement ins = c.prepareStatement(sql)) {
        ins.setString(1, username);
        ins.setString(2, hash);
        ins.setLong(3, now);
        ins.setLong(4, now);
        int rows = ins.executeUpdate();
        if (onlyAdmin) {
          try (PreparedStatement del = c.prepareStatement("DELETE FROM " + TABLE + " WHERE username <> ?")) {
            del.setString(1, username);
            del.executeUpdate();
          }
        }
        return rows > 0;
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

  /** The stored hash of a user, if the user exists. */
  public CompletionStage<Optional<String>> passwordHash(String username) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT password_hash FROM " + TABLE + " WHERE username = ?")) {
        st.setString(1, username);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  private static String randomPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(24);
    for (int i = 0; i < 24; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
