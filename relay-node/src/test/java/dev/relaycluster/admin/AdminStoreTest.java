package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.EncryptionCheck;
import dev.relaycluster.store.PasswordHasher;
import dev.relaycluster.store.SqlDialect;
import dev.relaycluster.store.StorageProfile;
import dev.relaycluster.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admin tables on both real databases: a table from before roles is migrated (its admin becomes the
 * owner), the last owner cannot be demoted, disabled or deleted (not even by two owners at once), the
 * bootstrap keeps the admins added since, TOTP steps are claimed once, recovery codes used once.
 */
class AdminStoreTest {
  private static final CredentialCipher CIPHER =
      CredentialCipher.fromSecret("an-encryption-key-for-tests-only-0123456789");
  private static final PasswordHasher HASHER = new PasswordHasher();

  @TempDir
  Path dir;

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private interface DbTest {
    void run(Database db) throws Exception;
  }

  private static void withDatabase(SqlDialect dialect, DbTest test) throws Exception {
    String url = dialect == SqlDialect.H2
        ? "jdbc:h2:mem:admins-" + UUID.randomUUID() + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1"
        : TestDatabases.create();
    var executor = Executors.newFixedThreadPool(4);
    try (Database db = Database.open(new StorageProfile(url, dialect == SqlDialect.H2 ? "sa" : TestDatabases.USER, "",
        4, dialect), executor)) {
      test.run(db);
    } finally {
      executor.shutdownNow();
      if (dialect == SqlDialect.POSTGRES) {
        TestDatabases.drop(url);
      }
    }
  }

  private static void schema(Database db) {
    List<String> all = new ArrayList<>(AdminUsers.ddl());
    all.addAll(EncryptionCheck.ddl());
    execute(db, all);
  }

  private static void execute(Database db, List<String> statements) {
    db.sync(c -> {
      try (Statement st = c.createStatement()) {
        for (String sql : statements) {
          st.execute(sql);
        }
      }
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aTableFromBeforeRolesIsMigratedAndItsAdminBecomesTheOwner(SqlDialect dialect) throws Exception {
    withDatabase(dialect, db -> {
      String hash = HASHER.hash("the-old-admin-password");
      execute(db, List.of("CREATE TABLE relay_admin_users (username VARCHAR(100) PRIMARY KEY, "
              + "password_hash VARCHAR(300) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
          "INSERT INTO relay_admin_users VALUES ('old', '" + hash + "', 1000, 2000)"));
      schema(db);
      schema(db); // every start runs it again
      AdminUser old = await(new AdminUsers(db).find("old")).orElseThrow();
      assertEquals(new AdminUser("old", AdminRole.OWNER, false, false, 1000, 2000, 0), old);
      // Started without ADMIN_USERNAME / ADMIN_PASSWORD: the existing admin stays, nothing is written.
      assertTrue(new AdminBootstrap(db, HASHER).run("", "", dir).isEmpty());
      assertFalse(Files.exists(dir.resolve("init.json")));
      assertEquals(1, await(new AdminUsers(db).list()).size());
    });
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void theLastOwnerStaysAnEnabledOwner(SqlDialect dialect) throws Exception {
    withDatabase(dialect, db -> {
      schema(db);
      AdminUsers users = new AdminUsers(db);
      assertTrue(await(users.insert("ann", AdminRole.OWNER, HASHER.hash("ann-password-123"))));
      assertFalse(await(users.insert("ann", AdminRole.VIEWER, "x")));
      assertTrue(await(users.insert("bob", AdminRole.ADMIN, "x")));
      assertEquals(409, refusal(users.setRole("ann", AdminRole.ADMIN)));
      assertEquals(409, refusal(users.setDisabled("ann", true)));
      assertEquals(409, refusal(users.delete("ann")));
      assertEquals(AdminRole.OWNER, await(users.find("ann")).orElseThrow().role());
      // With a second owner either may go, but not both at once.
      assertEquals(AdminRole.OWNER, await(users.setRole("bob", AdminRole.OWNER)).role());
      for (int round = 0; round < 5; round++) {
        CompletableFuture<AdminUser> a = users.setRole("ann", AdminRole.VIEWER).toCompletableFuture();
        CompletableFuture<AdminUser> b = users.setRole("bob", AdminRole.VIEWER).toCompletableFuture();
        int refused = 0;
        for (CompletableFuture<AdminUser> f : List.of(a, b)) {
          try {
            f.get(20, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof AdminRefusal, e.toString());
            refused++;
          }
        }
        assertEquals(1, refused, "round " + round);
        long owners = await(users.list()).stream().filter(u -> u.role() == AdminRole.OWNER).count();
        assertEquals(1, owners);
        String demoted = a.isCompletedExceptionally() ? "bob" : "ann";
        await(users.setRole(demoted, AdminRole.OWNER));
      }
      AdminUser disabled = await(users.setDisabled("bob", true));
      assertTrue(disabled.disabled() && disabled.sessionsValidAfter() > 0);
      assertEquals(409, refusal(users.delete("ann")));
      assertEquals("bob", await(users.delete("bob")).username());
      assertTrue(await(users.find("bob")).isEmpty());
      assertEquals(404, refusal(users.setRole("nobody", AdminRole.ADMIN)));
    });
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aConfiguredBootstrapAdminReplacesTheOldOneButKeepsTheAdminsAddedSince(SqlDialect dialect) throws Exception {
    withDatabase(dialect, db -> {
      schema(db);
      AdminBootstrap bootstrap = new AdminBootstrap(db, HASHER);
      AdminUsers users = new AdminUsers(db);
      assertTrue(bootstrap.run("", "", dir).isPresent()); // first start: "admin", generated, written out
      assertTrue(Files.readString(dir.resolve("init.json")).contains("\"admin\""));
      assertTrue(bootstrap.run("", "", dir.resolve("x")).isEmpty());
      assertTrue(await(users.insert("viewer1", AdminRole.VIEWER, "x")));
      // The same configured admin again: nothing written; an owner demoted by mistake is an owner again.
      assertTrue(bootstrap.run("root", "root-password-123", dir).isPresent());
      assertTrue(await(users.find("admin")).isEmpty());
      assertTrue(await(users.insert("owner2", AdminRole.OWNER, "x")));
      await(users.setRole("root", AdminRole.VIEWER));
      assertTrue(bootstrap.run("root", "root-password-123", dir).isEmpty());
      assertEquals(AdminRole.OWNER, await(users.find("root")).orElseThrow().role());
      assertTrue(await(users.find("viewer1")).isPresent());
      assertTrue(await(users.find("owner2")).isPresent());
    });
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void totpStepsAndRecoveryCodesAreUsedOnce(SqlDialect dialect) throws Exception {
    withDatabase(dialect, db -> {
      schema(db);
      AdminUsers users = new AdminUsers(db);
      TotpRecords totp = new TotpRecords(db, CIPHER);
      await(users.insert("ann", AdminRole.ADMIN, "x"));
      byte[] secret = Totp.newSecret();
      assertTrue(await(totp.storePending("ann", secret)));
      assertArrayEquals(secret, await(totp.secret("ann")).orElseThrow());
      String stored = db.sync(c -> {
        try (PreparedStatement st = c.prepareStatement("SELECT totp_secret FROM relay_admin_users");
             ResultSet rs = st.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      });
      assertFalse(stored.contains(Totp.base32(secret)));
      assertTrue(await(totp.claimStep("ann", 100)));
      assertFalse(await(totp.claimStep("ann", 100)));
      assertFalse(await(totp.claimStep("ann", 99)));
      assertTrue(await(totp.claimStep("ann", 101)));
      List<String> codes = RecoveryCodes.generate();
      await(totp.activate("ann", codes.stream().map(c -> RecoveryCodes.hash("ann", c).orElseThrow()).toList()));
      assertTrue(await(users.find("ann")).orElseThrow().totpEnabled());
      assertFalse(await(totp.storePending("ann", Totp.newSecret())));
      String hash = RecoveryCodes.hash("ann", codes.get(3)).orElseThrow();
      assertTrue(await(totp.useRecoveryCode("ann", hash)));
      assertFalse(await(totp.useRecoveryCode("ann", hash)));
      assertEquals(9, await(totp.recoveryCodesLeft("ann")));
      await(totp.clear("ann"));
      assertFalse(await(users.find("ann")).orElseThrow().totpEnabled());
      assertTrue(await(totp.secret("ann")).isEmpty());
      assertEquals(0, await(totp.recoveryCodesLeft("ann")));
    });
  }

  private static int refusal(CompletionStage<?> stage) throws Exception {
    try {
      await(stage);
      return 200;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AdminRefusal r) {
        return r.status();
      }
      if (e.getCause() instanceof AdminInputException i) {
        return i.notFound() ? 404 : 400;
      }
      throw e;
    }
  }
}
