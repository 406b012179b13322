package dev.relaycluster.admin.oidc;

import dev.relaycluster.admin.AdminRefusal;
import dev.relaycluster.admin.AdminRole;
import dev.relaycluster.admin.AdminUser;
import dev.relaycluster.admin.AdminUsers;
import dev.relaycluster.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The admins who sign on through the issuer: each is an ordinary admin (same roles, sessions, audit log)
 * linked, in a table of its own, to the issuer and subject ({@code sub}) that proved it, so that a later
 * sign-on finds it by subject even if its name claim changed, and a name claim can never take over an admin
 * made with a password or linked to another subject. Its password is a value no password matches, so it
 * logs in only through the issuer (unless an owner sets it a password). At each sign-on its role becomes
 * what the issuer's claims map to.
 */
public final class OidcAdmins {
  public static final String TABLE = "relay_admin_oidc";
  /** Stored as the password hash of admins made by sign-on: not a hash, so no password ever matches it. */
  static final String NO_PASSWORD = "!oidc";

  private final Database database;
  private final AdminUsers users;

  public OidcAdmins(Database database, AdminUsers users) {
    this.database = database;
    this.users = users;
  }

  public static List<String> ddl() {
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (username VARCHAR(100) PRIMARY KEY, "
            + "issuer VARCHAR(500) NOT NULL, subject VARCHAR(255) NOT NULL, created_at BIGINT NOT NULL, "
            + "last_login_at BIGINT NOT NULL)",
        "CREATE UNIQUE INDEX IF NOT EXISTS relay_admin_oidc_subject_idx ON " + TABLE + " (issuer, subject)");
  }

  /**
   * The admin for this issuer and subject with {@code role}: found by subject, else made under
   * {@code username}; fails with an {@link OidcRefusal} when the name is taken, the admin is disabled, or the
   * role change would leave no enabled owner.
   */
  public CompletionStage<SignedOn> signIn(String issuer, String subject, String username, AdminRole role) {
    return linked(issuer, subject).thenCompose(found -> found.isPresent()
        ? users.find(found.get()).thenCompose(user -> user.isPresent()
            ? CompletableFuture.completedFuture(new SignedOn(user.get(), user.get().role(), false))
            : create(found.get(), role))
        : link(issuer, subject, username).thenCompose(v -> create(username, role)))
        .thenCompose(before -> {
          AdminUser user = before.user();
          if (user.disabled()) {
            throw new OidcRefusal(OidcRefusal.DISABLED, "the admin " + user.username() + " is disabled",
                user.username());
          }
          CompletionStage<AdminUser> now = user.role() == role ? CompletableFuture.completedFuture(user)
              : users.setRole(user.username(), role).exceptionally(e -> {
                if (cause(e) instanceof AdminRefusal) {
                  throw new OidcRefusal(OidcRefusal.LAST_OWNER, "the issuer maps " + user.username() + " to "
                      + role.wireName() + ", but it is the last enabled owner", user.username());
                }
                throw e instanceof CompletionException c ? c : new CompletionException(e);
              });
          return now.thenApply(u -> new SignedOn(u, before.roleBefore(), before.created()));
        })
        .thenCompose(done -> touch(done.user().username()).thenApply(v -> done));
  }

  /** The admin as it is now, its role before this sign-on, and whether this sign-on made it. */
  public record SignedOn(AdminUser user, AdminRole roleBefore, boolean created) {}

  private CompletionStage<Optional<String>> linked(String issuer, String subject) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT username FROM " + TABLE
          + " WHERE issuer = ? AND subject = ?")) {
        st.setString(1, issuer);
        st.setString(2, subject);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /** Links a new subject to {@code username}, refused when an admin or a link of that name exists. */
  private CompletionStage<Void> link(String issuer, String subject, String username) {
    return users.find(username).thenCompose(existing -> {
      if (existing.isPresent()) {
        throw taken(username);
      }
      long now = System.currentTimeMillis();
      return database.async(c -> {
        try (PreparedStatement st = c.prepareStatement(database.dialect().insertIgnoringDuplicates(TABLE,
            "username", "username", "issuer", "subject", "created_at", "last_login_at"))) {
          st.setString(1, username);
          st.setString(2, issuer);
          st.setString(3, subject);
          st.setLong(4, now);
          st.setLong(5, now);
          if (st.executeUpdate() == 0) {
            throw taken(username);
          }
          return null;
        }
      });
    });
  }

  private CompletionStage<SignedOn> create(String username, AdminRole role) {
    return users.insert(username, role, NO_PASSWORD).thenCompose(inserted -> {
      if (!inserted) {
        throw taken(username);
      }
      return users.find(username).thenApply(u -> new SignedOn(u.orElseThrow(), role, true));
    });
  }

  private CompletionStage<Void> touch(String username) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE " + TABLE + " SET last_login_at = ? WHERE username = ?")) {
        st.setLong(1, System.currentTimeMillis());
        st.setString(2, username);
        st.executeUpdate();
        return null;
      }
    });
  }

  private static OidcRefusal taken(String username) {
    return new OidcRefusal(OidcRefusal.NAME_TAKEN, "an admin named " + username
        + " exists and does not sign on with this issuer and subject", username);
  }

  private static Throwable cause(Throwable e) {
    Throwable c = e;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
