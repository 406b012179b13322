package dev.relaycluster.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.store.CredentialDecryptionException;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.SqlDialect;
import dev.relaycluster.store.StorageProfile;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.WebhookReceiver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The target table on both real databases, and the sink that reads it to deliver alerts. */
class WebhookTargetStoreTest {
  private static final CredentialCipher CIPHER = CredentialCipher.fromSecret("an-encryption-key-for-tests-only-0123456789");

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private interface DbTest {
    void run(Database db) throws Exception;
  }

  private static void withDatabase(SqlDialect dialect, DbTest test) throws Exception {
    String url = dialect == SqlDialect.H2
        ? "jdbc:h2:mem:targets-" + UUID.randomUUID() + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1"
        : TestDatabases.create();
    var executor = Executors.newFixedThreadPool(2);
    try (Database db = Database.open(new StorageProfile(url, dialect == SqlDialect.H2 ? "sa" : TestDatabases.USER, "", 2,
        dialect), executor)) {
      db.sync(c -> {
        try (Statement st = c.createStatement()) {
          for (String sql : WebhookTargetStore.ddl()) {
            st.execute(sql);
          }
        }
        return null;
      });
      test.run(db);
    } finally {
      executor.shutdownNow();
      if (dialect == SqlDialect.POSTGRES) {
        TestDatabases.drop(url);
      }
    }
  }

  private static WebhookTarget target(String id, Channel channel, boolean enabled, Set<AlertKind> kinds,
      Map<String, String> config) {
    return new WebhookTarget(id, id + " name", channel, enabled, kinds, TargetSettings.validate(channel, config, Map.of()),
        1000, 2000);
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void secretsAreEncryptedAtRestAndBoundToTheTargetId(SqlDialect dialect) throws Exception {
    withDatabase(dialect, db -> {
      WebhookTargetStore store = new WebhookTargetStore(db, CIPHER, Duration.ofSeconds(5));
      WebhookTarget tg = target("wh_tg", Channel.TELEGRAM, true, Set.of(AlertKind.BLOCKED),
          Map.of("botToken", "999:very-secret-bot-token", "chatId", "-42"));
      WebhookTarget slack = target("wh_slack", Channel.SLACK, false, Set.of(),
          Map.of("url", "https://hooks.slack.com/services/T1/B1/slack-secret-path"));
      await(store.insert(tg));
      await(store.insert(slack));

      String raw = db.sync(c -> {
        StringBuilder sb = new StringBuilder();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM " + WebhookTargetStore.TABLE);
             ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              sb.append(rs.getString(i)).append('|');
            }
          }
        }
        return sb.toString();
      });
      assertFalse(raw.contains("very-secret-bot-token"), raw);
      assertFalse(raw.contains("slack-secret-path"), raw);
      assertTrue(raw.contains("-42"), "non-secret settings stay readable");

      List<WebhookTargetView> views = await(store.list());
      assertEquals(List.of("wh_slack", "wh_tg"), views.stream().map(WebhookTargetView::id).toList(),
          "same creation time: by id");
      views = List.of(views.get(1), views.get(0));
      assertEquals(Map.of("botToken", "****", "chatId", "-42", "apiBase", "https://api.telegram.org"),
          views.get(0).maskedConfig());
      assertEquals(Map.of("url", "https://hooks.slack.com/****"), views.get(1).maskedConfig());
      assertEquals(Set.of(AlertKind.BLOCKED), views.get(0).kinds());

      assertEquals(Optional.of(tg), await(store.load("wh_tg")));
      assertEquals(List.of(tg), await(store.enabledTargets()), "the disabled target is not delivered to");

      // A ciphertext copied onto another target does not decrypt there.
      db.sync(c -> {
        try (Statement st = c.createStatement()) {
          st.executeUpdate("UPDATE " + WebhookTargetStore.TABLE + " SET secrets = (SELECT secrets FROM "
              + WebhookTargetStore.TABLE + " WHERE id = 'wh_tg') WHERE id = 'wh_slack'");
        }
        return null;
      });
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.load("wh_slack")));
      Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
      assertTrue(cause instanceof CredentialDecryptionException, String.valueOf(cause));

      assertTrue(await(store.setEnabled("wh_slack", true, 3000)));
      assertEquals(List.of(tg), await(store.enabledTargets()), "a target that does not decrypt is skipped");
      assertTrue(await(store.delete("wh_slack")));
      assertFalse(await(store.delete("wh_slack")));
      assertEquals(1, await(store.list()).size());
    });
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void theSinkDeliversToEnabledTargetsThatWantTheKind(SqlDialect dialect) throws Exception {
    withDatabase(dialect, db -> {
      try (WebhookReceiver receiver = new WebhookReceiver();
           AlertDelivery delivery = new AlertDelivery(new RelaySettings.Alerts(3, Duration.ofMillis(10),
               Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(30)))) {
        WebhookTargetStore store = new WebhookTargetStore(db, CIPHER, Duration.ofSeconds(30));
        await(store.insert(target("wh_all", Channel.WEBHOOK, true, Set.of(), Map.of("url", receiver.baseUrl() + "/all"))));
        await(store.insert(target("wh_blocked", Channel.WEBHOOK, true, Set.of(AlertKind.BLOCKED),
            Map.of("url", receiver.baseUrl() + "/blocked"))));
        await(store.insert(target("wh_off", Channel.WEBHOOK, false, Set.of(), Map.of("url", receiver.baseUrl() + "/off"))));
        AlertSink sink = new WebhookAlertSink(store, delivery);

        sink.raise(new AccountAlert(AlertKind.RATE_LIMITED, "acc-1", "one", "claude", "429", 1, 5));
        sink.raise(new AccountAlert(AlertKind.BLOCKED, "acc-2", "two", "claude", "organization disabled", 2, 0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((receiver.received("/all").size() < 2 || receiver.received("/blocked").isEmpty())
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        Set<String> kinds = new java.util.HashSet<>();
        for (WebhookReceiver.Received r : receiver.received("/all")) {
          kinds.add(AlertPayloads.JSON.readTree(r.body()).get("kind").asText());
        }
        assertEquals(Set.of("rate_limited", "blocked"), kinds);
        assertEquals(1, receiver.received("/blocked").size());
        assertEquals("acc-2", AlertPayloads.JSON.readTree(receiver.received("/blocked").get(0).body()).get("accountId").asText());
        assertTrue(receiver.received("/off").isEmpty());
      }
    });
  }

  @ParameterizedTest
  @EnumSource(value = SqlDialect.class, names = "H2")
  void raiseNeverThrowsWhenTheTargetsCannotBeRead(SqlDialect dialect) throws Exception {
    withDatabase(dialect, db -> {
      try (AlertDelivery delivery = new AlertDelivery(new RelaySettings.Alerts(1, Duration.ZERO, Duration.ZERO,
          Duration.ofSeconds(1), Duration.ofSeconds(30)))) {
        WebhookTargetStore store = new WebhookTargetStore(db, CIPHER, Duration.ofSeconds(30));
        db.close();
        new WebhookAlertSink(store, delivery).raise(new AccountAlert(AlertKind.BLOCKED, "acc", "a", "claude", "x", 1, 0));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.enabledTargets()));
        assertTrue(e.getCause().getMessage().contains("database call failed"), e.getCause().getMessage());
      }
    });
  }
}
