package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.alerts.AccountAlert;
import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.anthropic.ClaudeAnswers;
import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.testing.EntityTestKitConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account entity's health state machine and OAuth refresh, with the persistence test kit: what
 * each report persists and alerts, that timers end cooldowns, that health survives a restart, and that
 * concurrent wants of a refresh cause one refresh whose rotated refresh token is persisted before use.
 */
class AccountHealthEntityTest {
  private static final RelaySettings.Accounts SETTINGS = RelaySettings.Accounts.from(
      ConfigFactory.parseString("cooldowns.overloaded = 400ms").withFallback(ConfigFactory.load().getConfig("relay.accounts")));

  private static ActorTestKit testKit;
  private static PoolView pool;
  private static CredentialVault vault;

  private final List<AccountAlert> alerts = new CopyOnWriteArrayList<>();
  private final AtomicInteger refreshCalls = new AtomicInteger();
  private final AtomicReference<CompletableFuture<OAuthTokens>> pendingRefresh = new AtomicReference<>();
  private final List<String> refreshTokensSeen = new CopyOnWriteArrayList<>();
  private String accountId;
  private AccountServices services;
  private EventSourcedBehaviorTestKit<AccountEntity.Command, AccountEntity.Event, AccountState> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("AccountHealthEntityTest", EntityTestKitConfig.CONFIG);
    pool = new PoolView(ReplicatedView.start(testKit.system(), "health-test-pool"));
    vault = new CredentialVault(CredentialCipher.fromSecret("health-test-secret-0123456789abcdef"));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newAccount() {
    accountId = "acc-" + UUID.randomUUID();
    TokenRefresher refresher = (refreshToken, proxy) -> {
      refreshCalls.incrementAndGet();
      refreshTokensSeen.add(refreshToken);
      CompletableFuture<OAuthTokens> f = new CompletableFuture<>();
      pendingRefresh.set(f);
      return f;
    };
    services = new AccountServices(pool, vault, refresher, alerts::add, SETTINGS);
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), AccountEntity.create(accountId, services));
  }

  private AccountDefinition console() {
    return new AccountDefinition(accountId, "main", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com", 10, 0,
        false, vault.seal(accountId, new AccountSecrets("sk-ant-api03-x", null, null, 0)), 1_000L, 1_000L);
  }

  private AccountDefinition oauth(String id, long expiresAt) {
    return new AccountDefinition(id, "oauth", AccountType.CLAUDE_OAUTH, "https://api.anthropic.com", 10, 0,
        false, vault.seal(id, new AccountSecrets(null, "sk-ant-oat01-old", "sk-ant-ort01-old", expiresAt)), 1_000L,
        1_000L);
  }

  private static AnswerVerdict answer(int status, Map<String, String> headers, String body) {
    return ClaudeAnswers.classify(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private AccountEntity.Event report(AnswerVerdict verdict, String family) {
    var result = kit.runCommand(AccountEntity.Report.of("lease", verdict, false, family));
    return result.events().isEmpty() ? null : result.events().get(result.events().size() - 1);
  }

  private List<AlertKind> alertKinds() {
    return alerts.stream().map(AccountAlert::kind).toList();
  }

  @Test
  void anOverloadCoolsTheAccountAndItsTimerEndsTheCooldownWithARecoveredAlert() throws Exception {
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(console(), r));
    var started = assertInstanceOf(AccountEntity.CooldownStarted.class,
        report(answer(529, Map.of(), "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"), "sonnet"));
    assertTrue(started.mark().transientError());
    assertEquals(1, pool.find(accountId).orElseThrow().cooldowns().size());
    assertEquals(List.of(), alertKinds(), "overloads are not alerted");

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!kit.getState().health().cooldowns().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(kit.getState().health().cooldowns().isEmpty(), "the timer ended the cooldown");
    assertEquals(List.of(AlertKind.RECOVERED), alertKinds());
    assertEquals(List.of(), pool.find(accountId).orElseThrow().cooldowns());
  }

  @Test
  void aRateLimitAlertsWithItsEndAndASuccessClearsItAndRecovers() {
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(console(), r));
    long reset = System.currentTimeMillis() / 1000 + 3600;
    report(answer(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset)), ""), "sonnet");
    assertEquals(List.of(AlertKind.RATE_LIMITED), alertKinds());
    assertEquals(reset * 1000, alerts.get(0).until());

    // A repeat of the same limit changes nothing.
    assertEquals(null, report(answer(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset)), ""),
        "sonnet"));

    List<AccountEntity.Event> events = kit.runCommand(AccountEntity.Report.of("lease",
        answer(200, Map.of("anthropic-ratelimit-unified-5h-utilization", "0.3"), "{}"), false, "sonnet")).events();
    assertEquals(2, events.size(), events.toString());
    var ended = assertInstanceOf(AccountEntity.CooldownEnded.class, events.get(0));
    assertInstanceOf(AccountEntity.UtilisationSeen.class, events.get(1));
    assertEquals("account", ended.family());
    assertTrue(kit.getState().health().cooldowns().isEmpty());
    assertEquals(0.3, kit.getState().health().utilisation());
    assertEquals(List.of(AlertKind.RATE_LIMITED, AlertKind.RECOVERED), alertKinds());
  }

  @Test
  void aSuccessOfAnotherFamilyKeepsAFamilyLimit() {
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(console(), r));
    long reset = System.currentTimeMillis() / 1000 + 3600;
    report(answer(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset),
        "anthropic-ratelimit-unified-representative-claim", "seven_day_opus"), ""), "opus");
    assertEquals(null, report(answer(200, Map.of(), "{}"), "sonnet"));
    assertEquals(List.of("opus"), List.copyOf(kit.getState().health().cooldowns().keySet()));
    assertInstanceOf(AccountEntity.CooldownEnded.class, report(answer(200, Map.of(), "{}"), "opus"));
  }

  @Test
  void aLeaseForAFamilyUnderARealLimitIsRefusedEvenBeforeTheNodeSeesTheCooldown() {
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(console(), r));
    TestProbe<LeaseHolder.Command> holder = testKit.createTestProbe();
    long reset = System.currentTimeMillis() / 1000 + 3600;
    report(answer(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset),
        "anthropic-ratelimit-unified-representative-claim", "seven_day_opus"), ""), "opus");
    var refused = kit.<AccountEntity.AcquireReply>runCommand(
        r -> new AccountEntity.Acquire("l1", holder.getRef(), r, "opus")).reply();
    assertTrue(assertInstanceOf(AccountEntity.Unavailable.class, refused).reason().startsWith("account is cooling down until "
        + Instant.ofEpochSecond(reset)), refused.toString());
    assertInstanceOf(AccountEntity.Granted.class, kit.<AccountEntity.AcquireReply>runCommand(
        r -> new AccountEntity.Acquire("l2", holder.getRef(), r, "sonnet")).reply(), "another family is served");
    assertInstanceOf(AccountEntity.Granted.class, kit.<AccountEntity.AcquireReply>runCommand(
        r -> new AccountEntity.Acquire("l3", holder.getRef(), r)).reply(), "a pinned socket's turn is not routed");

    // A whole-account limit covers every family; a transient cooldown (an overload) refuses nothing, as the
    // cascade guard may send a request to such an account on purpose.
    report(answer(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset)), ""), "sonnet");
    assertInstanceOf(AccountEntity.Unavailable.class, kit.<AccountEntity.AcquireReply>runCommand(
        r -> new AccountEntity.Acquire("l4", holder.getRef(), r, "haiku")).reply());
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.ResetHealth(5_000L, r));
    report(answer(529, Map.of(), "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
        "sonnet");
    assertEquals(1, kit.getState().health().cooldowns().size());
    assertInstanceOf(AccountEntity.Granted.class, kit.<AccountEntity.AcquireReply>runCommand(
        r -> new AccountEntity.Acquire("l5", holder.getRef(), r, "sonnet")).reply());
  }

  @Test
  void aDisabledOrganisationBlocksLeasesUntilAnAdminResets() {
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(console(), r));
    TestProbe<LeaseHolder.Command> holder = testKit.createTestProbe();
    var blocked = assertInstanceOf(AccountEntity.AccountBlocked.class, report(answer(403, Map.of(),
        "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"This organization has been disabled.\"}}"),
        "sonnet"));
    assertTrue(blocked.reason().contains("disabled"));
    assertEquals(List.of(AlertKind.BLOCKED), alertKinds());
    assertEquals(AccountStatus.BLOCKED, pool.find(accountId).orElseThrow().status());
    var refused = kit.<AccountEntity.AcquireReply>runCommand(r -> new AccountEntity.Acquire("l1", holder.getRef(), r));
    assertTrue(assertInstanceOf(AccountEntity.Unavailable.class, refused.reply()).reason().contains("blocked"));

    var reset = kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.ResetHealth(5_000L, r));
    assertInstanceOf(AccountEntity.HealthReset.class, reset.event());
    assertEquals(AccountStatus.ACTIVE, reset.reply().getValue().status());
    assertInstanceOf(AccountEntity.Granted.class,
        kit.<AccountEntity.AcquireReply>runCommand(r -> new AccountEntity.Acquire("l2", holder.getRef(), r)).reply());
  }

  @Test
  void pausingRaisesDisabledByAdmin() {
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(console(), r));
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Update(new AccountPatch(null, null, null, null, true, null, 2_000L), r));
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Update(new AccountPatch("renamed", null, null, null, null, null, 3_000L), r));
    assertEquals(List.of(AlertKind.DISABLED_BY_ADMIN), alertKinds());
  }

  @Test
  void healthSurvivesARestart() {
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(console(), r));
    long reset = System.currentTimeMillis() / 1000 + 3600;
    report(answer(429, Map.of("anthropic-ratelimit-unified-reset", Long.toString(reset)), ""), "sonnet");
    report(answer(401, Map.of(), "{}"), "sonnet");
    kit.restart();
    AccountState state = kit.getState();
    assertEquals(reset * 1000, state.health().cooldowns().get("account").until());
    assertTrue(state.health().unauthorized());
    assertEquals(AccountStatus.UNAUTHORIZED, state.status());
  }

  @Test
  void editsMergeCredentialsAndProxyIntoTheCurrentSecrets() {
    AccountDefinition d = new AccountDefinition(accountId, "proxied", AccountType.CLAUDE_OAUTH,
        "https://api.anthropic.com", 10, 0, false, vault.seal(accountId, new AccountSecrets(null, "at-1", "rt-1", 0,
            List.of(), "socks5://u:p@127.0.0.1:1080")), 1_000L, 1_000L);
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(d, r));

    byte[] newTokens = vault.seal(accountId, new AccountSecrets(null, "at-2", "rt-2", 0));
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Update(
        new AccountPatch(null, null, null, null, null, newTokens, 2_000L), r));
    AccountSecrets afterTokens = vault.open(accountId, kit.getState().definition().sealedSecrets());
    assertEquals("at-2", afterTokens.accessToken());
    assertEquals("socks5://u:p@127.0.0.1:1080", afterTokens.proxyUrl(), "new credentials keep the proxy");

    byte[] noProxy = vault.seal(accountId, new AccountSecrets(null, null, null, 0).withProxy(null));
    kit.<StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Update(new AccountPatch(null, null, null, null, null,
        null, 3_000L, null, null, null, "", noProxy), r));
    AccountSecrets afterProxy = vault.open(accountId, kit.getState().definition().sealedSecrets());
    assertEquals(null, afterProxy.proxyUrl());
    assertEquals("rt-2", afterProxy.refreshToken(), "a proxy edit keeps the tokens");
    assertEquals(null, kit.getState().definition().proxy());
  }

  // ---- OAuth refresh (spawned entities: acquires wait in the stash while a refresh runs)

  @Test
  void concurrentAcquiresOfAnExpiringAccountCauseOneRefreshAndGetTheNewTokens() {
    String id = "acc-" + UUID.randomUUID();
    ActorRef<AccountEntity.Command> entity = testKit.spawn(AccountEntity.create(id, services));
    TestProbe<StatusReply<PoolEntry>> created = testKit.createTestProbe();
    entity.tell(new AccountEntity.Create(oauth(id, System.currentTimeMillis() + 60_000), created.getRef()));
    created.receiveMessage();
    TestProbe<AccountEntity.AcquireReply> replies = testKit.createTestProbe();
    TestProbe<LeaseHolder.Command> holder = testKit.createTestProbe();
    for (int i = 0; i < 5; i++) {
      entity.tell(new AccountEntity.Acquire("lease-" + i, holder.getRef(), replies.getRef()));
    }
    replies.expectNoMessage(Duration.ofMillis(300));
    assertEquals(1, refreshCalls.get());
    assertEquals(List.of("sk-ant-ort01-old"), refreshTokensSeen);

    pendingRefresh.get().complete(new OAuthTokens("sk-ant-oat01-new", "sk-ant-ort01-rotated",
        System.currentTimeMillis() + 8 * 3600_000, List.of("user:inference"), null, null, null));
    for (int i = 0; i < 5; i++) {
      AccountEntity.Granted g = assertInstanceOf(AccountEntity.Granted.class, replies.receiveMessage());
      AccountSecrets s = vault.open(id, g.account().sealedSecrets());
      assertEquals("sk-ant-oat01-new", s.accessToken());
      assertEquals("sk-ant-ort01-rotated", s.refreshToken());
    }
    assertEquals(1, refreshCalls.get());

    // A new incarnation (as after a restart or a move) reads the rotated token from the journal.
    testKit.stop(entity);
    ActorRef<AccountEntity.Command> again = testKit.spawn(AccountEntity.create(id, services));
    again.tell(new AccountEntity.Borrow(replies.getRef()));
    AccountEntity.Granted g = assertInstanceOf(AccountEntity.Granted.class, replies.receiveMessage());
    assertEquals("sk-ant-ort01-rotated", vault.open(id, g.account().sealedSecrets()).refreshToken());
    assertEquals(1, refreshCalls.get(), "fresh tokens are not refreshed again");
  }

  @Test
  void aLiveEntityRefreshesAheadOfExpiryWithoutARequest() throws Exception {
    String id = "acc-" + UUID.randomUUID();
    ActorRef<AccountEntity.Command> entity = testKit.spawn(AccountEntity.create(id, services));
    TestProbe<StatusReply<PoolEntry>> created = testKit.createTestProbe();
    entity.tell(new AccountEntity.Create(oauth(id, System.currentTimeMillis() + 60_000), created.getRef()));
    created.receiveMessage();
    assertEquals(0, refreshCalls.get(), "creating an account does not refresh it");
    testKit.stop(entity);
    // Started again (as after a restart): its tokens are within refresh-ahead, so it refreshes by itself.
    testKit.spawn(AccountEntity.create(id, services));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (refreshCalls.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, refreshCalls.get());
    assertEquals(List.of("sk-ant-ort01-old"), refreshTokensSeen);
  }

  @Test
  void a401RefreshesOnceAndTheSecond401MarksTheAccountUnauthorized() {
    String id = "acc-" + UUID.randomUUID();
    ActorRef<AccountEntity.Command> entity = testKit.spawn(AccountEntity.create(id, services));
    TestProbe<StatusReply<PoolEntry>> created = testKit.createTestProbe();
    AccountDefinition d = oauth(id, System.currentTimeMillis() + 3_600_000);
    entity.tell(new AccountEntity.Create(d, created.getRef()));
    created.receiveMessage();
    AnswerVerdict unauthorized = answer(401, Map.of(), "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"expired\"}}");
    TestProbe<AccountEntity.ReportReply> first = testKit.createTestProbe();
    TestProbe<AccountEntity.ReportReply> second = testKit.createTestProbe();
    entity.tell(new AccountEntity.Report("l1", unauthorized, false, first.getRef(), d.sealedSecrets(), "sonnet"));
    entity.tell(new AccountEntity.Report("l2", unauthorized, false, second.getRef(), d.sealedSecrets(), "sonnet"));
    first.expectNoMessage(Duration.ofMillis(200));
    assertEquals(1, refreshCalls.get(), "two 401s, one refresh");
    pendingRefresh.get().complete(new OAuthTokens("sk-ant-oat01-fresh", "sk-ant-ort01-next",
        System.currentTimeMillis() + 3_600_000, List.of(), null, null, null));
    var retry = assertInstanceOf(AccountEntity.RetryWith.class, first.receiveMessage());
    assertEquals("sk-ant-oat01-fresh", vault.open(id, retry.account().sealedSecrets()).accessToken());
    assertInstanceOf(AccountEntity.RetryWith.class, second.receiveMessage());

    // A late 401 of a request that used the old token retries with the new one, without refreshing.
    TestProbe<AccountEntity.ReportReply> late = testKit.createTestProbe();
    entity.tell(new AccountEntity.Report("l3", unauthorized, false, late.getRef(), d.sealedSecrets(), "sonnet"));
    assertInstanceOf(AccountEntity.RetryWith.class, late.receiveMessage());
    assertEquals(1, refreshCalls.get());

    TestProbe<AccountEntity.ReportReply> afterRetry = testKit.createTestProbe();
    entity.tell(new AccountEntity.Report("l1", unauthorized, true, afterRetry.getRef(), retry.account().sealedSecrets(),
        "sonnet"));
    assertInstanceOf(AccountEntity.Noted.class, afterRetry.receiveMessage());
    TestProbe<AccountEntity.AccountStatusReply> status = testKit.createTestProbe();
    entity.tell(new AccountEntity.GetStatus(status.getRef()));
    AccountEntity.AccountStatusReply s = status.receiveMessage();
    assertEquals(AccountStatus.UNAUTHORIZED, s.status());
    assertEquals(List.of(AlertKind.UNAUTHORIZED), alertKinds());
    assertEquals(4, s.recentErrors().size(), "every 401 is in the recent errors");
    assertEquals(401, s.recentErrors().get(0).status());
  }

  @Test
  void aRefusedRefreshMarksTheAccountUnauthorizedWithAlerts() {
    String id = "acc-" + UUID.randomUUID();
    ActorRef<AccountEntity.Command> entity = testKit.spawn(AccountEntity.create(id, services));
    TestProbe<StatusReply<PoolEntry>> created = testKit.createTestProbe();
    AccountDefinition d = oauth(id, System.currentTimeMillis() + 3_600_000);
    entity.tell(new AccountEntity.Create(d, created.getRef()));
    created.receiveMessage();
    TestProbe<AccountEntity.ReportReply> reply = testKit.createTestProbe();
    entity.tell(new AccountEntity.Report("l1", answer(401, Map.of(), "{}"), false, reply.getRef(), d.sealedSecrets(),
        "sonnet"));
    reply.expectNoMessage(Duration.ofMillis(100));
    pendingRefresh.get().completeExceptionally(new OAuthException("token refresh refused (400): invalid_grant", true));
    assertInstanceOf(AccountEntity.Noted.class, reply.receiveMessage());
    assertEquals(List.of(AlertKind.REFRESH_FAILED, AlertKind.UNAUTHORIZED), alertKinds());
    PoolEntry entry = pool.find(id).orElseThrow();
    assertEquals(AccountStatus.UNAUTHORIZED, entry.status());
    assertTrue(entry.statusReason().contains("invalid_grant"), entry.statusReason());
    assertFalse(entry.schedulable());
  }
}
