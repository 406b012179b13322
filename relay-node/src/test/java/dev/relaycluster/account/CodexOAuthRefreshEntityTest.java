package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.alerts.AccountAlert;
import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.openai.CodexAnswers;
import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.testing.EntityTestKitConfig;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiAuth;
import dev.relaycluster.upstream.UpstreamClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A codex-oauth account's entity refreshing through the real {@link CodexOAuthClient} against a mock of
 * ChatGPT's token endpoint ({@link MockOpenAi}'s: single-use, rotating refresh tokens): racing acquires of a due account cause
 * one refresh, the rotated refresh token is persisted and is what the next refresh presents, the id
 * token's ChatGPT account id is sealed, and a reused refresh token marks the account unauthorized.
 */
class CodexOAuthRefreshEntityTest {

  private static ActorTestKit testKit;
  private static PoolView pool;
  private static CredentialVault vault;
  private static MockOpenAi openai;
  private static MockOpenAiAuth auth;
  private static UpstreamClient upstream;
  private static AccountServices services;
  private static final List<AccountAlert> alerts = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create("CodexOAuthRefreshEntityTest", EntityTestKitConfig.CONFIG);
    pool = new PoolView(ReplicatedView.start(testKit.system(), "codex-refresh-test-pool"));
    vault = new CredentialVault(CredentialCipher.fromSecret("codex-refresh-test-secret-0123456789"));
    openai = new MockOpenAi();
    auth = openai.auth();
    RelaySettings.Accounts settings = RelaySettings.Accounts.from(ConfigFactory.parseMap(Map.of(
        "codex-oauth.token-url", auth.tokenUrl(), "codex-oauth.timeout", "10s"))
        .withFallback(ConfigFactory.load().getConfig("relay.accounts")));
    upstream = new UpstreamClient(testKit.system(), RelaySettings.from(ConfigFactory.load()).upstream());
    CodexOAuthClient codex = new CodexOAuthClient(testKit.system(), upstream, settings.codexOauth());
    services = new AccountServices(pool, vault, new TokenRefreshers().with(AccountType.CODEX_OAUTH, codex),
        alerts::add, settings);
  }

  @AfterAll
  static void stop() throws Exception {
    openai.close();
    upstream.close();
    testKit.shutdownTestKit();
  }

  /** A codex-oauth account whose access token expires within refresh-ahead, with a live refresh token. */
  private static AccountDefinition dueAccount(String id, String refreshToken) {
    AccountSecrets secrets = new AccountSecrets(null, MockOpenAiAuth.jwt(Map.of("exp", 1)), refreshToken,
        System.currentTimeMillis() + 60_000).withUpstreamAccountId("acct-from-an-older-login");
    return new AccountDefinition(id, "codex", AccountType.CODEX_OAUTH, "https://chatgpt.com/backend-api/codex", 10, 0,
        false, vault.seal(id, secrets), 1_000L, 1_000L);
  }

  private static ActorRef<AccountEntity.Command> created(String id, String refreshToken) {
    ActorRef<AccountEntity.Command> entity = testKit.spawn(AccountEntity.create(id, services));
    TestProbe<StatusReply<PoolEntry>> probe = testKit.createTestProbe();
    entity.tell(new AccountEntity.Create(dueAccount(id, refreshToken), probe.getRef()));
    assertTrue(probe.receiveMessage().isSuccess());
    return entity;
  }

  @Test
  void racingAcquiresOfADueAccountRefreshOnceAndTheRotatedTokenIsWhatTheNextRefreshUses() {
    String id = "codex-" + UUID.randomUUID();
    String seed = "rt_seed-" + id;
    auth.acceptRefreshToken(seed);
    auth.refreshDelay(300);
    int refreshesBefore = auth.refreshCalls();
    ActorRef<AccountEntity.Command> entity;
    AccountSecrets granted;
    byte[] sealedGrant;
    try {
      entity = created(id, seed);
      TestProbe<AccountEntity.AcquireReply> first = testKit.createTestProbe();
      TestProbe<AccountEntity.AcquireReply> second = testKit.createTestProbe();
      TestProbe<LeaseHolder.Command> holder = testKit.createTestProbe();
      entity.tell(new AccountEntity.Acquire("lease-1", holder.getRef(), first.getRef()));
      entity.tell(new AccountEntity.Acquire("lease-2", holder.getRef(), second.getRef()));
      AccountEntity.Granted g1 = assertInstanceOf(AccountEntity.Granted.class, first.receiveMessage(Duration.ofSeconds(10)));
      AccountEntity.Granted g2 = assertInstanceOf(AccountEntity.Granted.class, second.receiveMessage(Duration.ofSeconds(10)));
      sealedGrant = g1.account().sealedSecrets();
      granted = vault.open(id, sealedGrant);
      assertEquals(granted, vault.open(id, g2.account().sealedSecrets()), "both got the same, refreshed tokens");
    } finally {
      auth.refreshDelay(0);
    }
    assertEquals(1, auth.refreshCalls() - refreshesBefore, "two racing acquires, one refresh");
    assertEquals(auth.lastIssued().accessToken(), granted.accessToken(), "nobody got the expiring token");
    String rotated = granted.refreshToken();
    assertNotEquals(seed, rotated);
    assertEquals(MockOpenAi.ACCOUNT_ID, granted.upstreamAccountId(), "the id token names the ChatGPT account");
    assertTrue(granted.expiresAt() > System.currentTimeMillis() + 3_600_000);
    assertFalse(auth.refreshTokenLive(seed));

    // ChatGPT refuses the new access token: the entity refreshes again, presenting the rotated token.
    TestProbe<AccountEntity.ReportReply> report = testKit.createTestProbe();
    var unauthorized = CodexAnswers.classify(401, Map.of(), ("{\"error\":{\"message\":\"Provided authentication token"
        + " is expired.\",\"type\":\"invalid_request_error\",\"code\":\"token_expired\"}}")
        .getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
    entity.tell(new AccountEntity.Report("lease-1", unauthorized, false, report.getRef(), sealedGrant, null));
    AccountEntity.RetryWith retry = assertInstanceOf(AccountEntity.RetryWith.class,
        report.receiveMessage(Duration.ofSeconds(10)));
    AccountSecrets again = vault.open(id, retry.account().sealedSecrets());
    assertEquals(2, auth.refreshCalls() - refreshesBefore);
    assertEquals(List.of(seed, rotated), auth.refreshTokensPresented().stream()
        .filter(t -> t.equals(seed) || t.equals(rotated)).toList(), "the second refresh presented the rotated token");
    assertNotEquals(rotated, again.refreshToken());

    // A new incarnation (after a restart or a move) reads the latest rotation from the journal.
    testKit.stop(entity);
    ActorRef<AccountEntity.Command> restarted = testKit.spawn(AccountEntity.create(id, services));
    TestProbe<AccountEntity.AcquireReply> borrow = testKit.createTestProbe();
    restarted.tell(new AccountEntity.Borrow(borrow.getRef()));
    AccountEntity.Granted g = assertInstanceOf(AccountEntity.Granted.class, borrow.receiveMessage(Duration.ofSeconds(10)));
    assertEquals(again.refreshToken(), vault.open(id, g.account().sealedSecrets()).refreshToken());
    assertEquals(2, auth.refreshCalls() - refreshesBefore, "fresh tokens are not refreshed again");
  }

  @Test
  void aReusedRefreshTokenMarksTheAccountUnauthorizedWithoutShowingIt() {
    String id = "codex-" + UUID.randomUUID();
    String spent = "rt_spent-" + id;
    // Another holder of the same login (say a Codex CLI on a laptop) refreshed first.
    auth.acceptRefreshToken(spent);
    new CodexOAuthClient(testKit.system(), upstream, services.settings().codexOauth()).refresh(spent, null)
        .toCompletableFuture().join();
    int before = auth.refreshCalls();
    ActorRef<AccountEntity.Command> entity = created(id, spent);
    TestProbe<AccountEntity.AcquireReply> reply = testKit.createTestProbe();
    TestProbe<LeaseHolder.Command> holder = testKit.createTestProbe();
    entity.tell(new AccountEntity.Acquire("lease-a", holder.getRef(), reply.getRef()));
    assertInstanceOf(AccountEntity.Unavailable.class, reply.receiveMessage(Duration.ofSeconds(10)));
    assertEquals(1, auth.refreshCalls() - before);

    PoolEntry entry = pool.find(id).orElseThrow();
    assertEquals(AccountStatus.UNAUTHORIZED, entry.status());
    assertFalse(entry.schedulable());
    assertTrue(entry.statusReason().contains("refresh_token_reused"), entry.statusReason());
    assertFalse(entry.statusReason().contains(spent), "the reason never shows the token");
    List<AlertKind> kinds = alerts.stream().filter(a -> a.accountId().equals(id)).map(AccountAlert::kind).toList();
    assertEquals(List.of(AlertKind.REFRESH_FAILED, AlertKind.UNAUTHORIZED), kinds);
    assertTrue(alerts.stream().noneMatch(a -> a.toString().contains(spent)), "nor does an alert");
  }
}
