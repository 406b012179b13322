package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.alerts.AccountAlert;
import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.testing.EntityTestKitConfig;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.UpstreamClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gemini-oauth account's entity with the real {@link GeminiOAuthClient} against {@link MockGemini}'s Google:
 * a due refresh keeps the refresh token Google did not rotate and finds the project the account lacked (by
 * onboarding when the login is on no tier yet), an {@code invalid_grant} marks the account for a new login
 * with the alerts the other logins raise, the OAuth client comes only from the settings, and an account in
 * use reads its quota in the background at most once an interval, as its utilisation.
 */
class GeminiOAuthRefreshEntityTest {

  private static ActorTestKit testKit;
  private static PoolView pool;
  private static CredentialVault vault;
  private static MockGemini google;
  private static UpstreamClient upstream;
  private static AccountServices services;
  private static GeminiOAuthClient client;
  private static final List<AccountAlert> alerts = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create("GeminiOAuthRefreshEntityTest", EntityTestKitConfig.CONFIG);
    pool = new PoolView(ReplicatedView.start(testKit.system(), "gemini-refresh-test-pool"));
    vault = new CredentialVault(CredentialCipher.fromSecret("gemini-refresh-test-secret-0123456789"));
    google = MockGemini.start();
    RelaySettings.Accounts settings = RelaySettings.Accounts.from(ConfigFactory.parseMap(Map.of(
            "gemini-oauth.client-id", MockGemini.CLIENT_ID,
            "gemini-oauth.client-secret", MockGemini.CLIENT_SECRET,
            "gemini-oauth.token-url", google.tokenUrl(),
            "gemini-oauth.userinfo-url", google.userinfoUrl(),
            "gemini-oauth.code-assist-base-url", google.baseUrl(),
            "gemini-oauth.onboard-poll-interval", "20ms",
            "gemini-oauth.timeout", "10s"))
        .withFallback(ConfigFactory.load().getConfig("relay.accounts")));
    upstream = new UpstreamClient(testKit.system(), RelaySettings.from(ConfigFactory.load()).upstream());
    client = new GeminiOAuthClient(testKit.system(), upstream, settings.geminiOauth());
    services = new AccountServices(pool, vault, new TokenRefreshers().with(AccountType.GEMINI_OAUTH, client),
        alerts::add, settings, client);
  }

  @AfterAll
  static void stop() throws Exception {
    google.close();
    upstream.close();
    testKit.shutdownTestKit();
  }

  /** A gemini-oauth account at the mock; its access token expires within refresh-ahead when {@code due}. */
  private static ActorRef<AccountEntity.Command> created(String id, AccountSecrets secrets) {
    AccountDefinition d = new AccountDefinition(id, "gemini", AccountType.GEMINI_OAUTH, google.baseUrl(), 10, 0,
        false, vault.seal(id, secrets), 1_000L, 1_000L);
    ActorRef<AccountEntity.Command> entity = testKit.spawn(AccountEntity.create(id, services));
    TestProbe<StatusReply<PoolEntry>> probe = testKit.createTestProbe();
    entity.tell(new AccountEntity.Create(d, probe.getRef()));
    assertTrue(probe.receiveMessage().isSuccess());
    return entity;
  }

  private static AccountSecrets expiring(String refreshToken, String project) {
    return new AccountSecrets(null, "ya29.expiring", refreshToken, System.currentTimeMillis() + 60_000, List.of(),
        null, project);
  }

  private static AccountEntity.AcquireReply acquire(ActorRef<AccountEntity.Command> entity, String leaseId) {
    TestProbe<AccountEntity.AcquireReply> reply = testKit.createTestProbe();
    TestProbe<LeaseHolder.Command> holder = testKit.createTestProbe();
    entity.tell(new AccountEntity.Acquire(leaseId, holder.getRef(), reply.getRef()));
    return reply.receiveMessage(Duration.ofSeconds(10));
  }

  private static AccountEntity.AccountStatusReply status(ActorRef<AccountEntity.Command> entity) {
    TestProbe<AccountEntity.AccountStatusReply> probe = testKit.createTestProbe();
    entity.tell(new AccountEntity.GetStatus(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }

  @Test
  void aDueRefreshKeepsTheRefreshTokenAndFindsTheMissingProject() {
    google.setup(MockGemini.Setup.CURRENT_TIER);
    String id = "gemini-" + UUID.randomUUID();
    int refreshesBefore = google.auth().refreshCalls();
    int loadsBefore = google.requests("/v1internal:loadCodeAssist");
    ActorRef<AccountEntity.Command> entity = created(id, expiring(MockGemini.REFRESH_TOKEN, null));

    AccountEntity.Granted granted = assertInstanceOf(AccountEntity.Granted.class, acquire(entity, "lease-1"));
    AccountSecrets s = vault.open(id, granted.account().sealedSecrets());
    assertEquals(1, google.auth().refreshCalls() - refreshesBefore);
    assertNotEquals("ya29.expiring", s.accessToken());
    assertNotNull(google.auth().accountOf(s.accessToken()), "the token Google just issued");
    assertEquals(MockGemini.REFRESH_TOKEN, s.refreshToken(), "Google sent none back: the old one stays");
    assertTrue(s.expiresAt() > System.currentTimeMillis() + 3_000_000);
    assertEquals(MockGemini.PROJECT, s.upstreamAccountId(), "found through loadCodeAssist");
    assertEquals(1, google.requests("/v1internal:loadCodeAssist") - loadsBefore);
    Credential credential = Credentials.open(vault, granted.account());
    assertEquals(MockGemini.PROJECT, credential.upstreamAccountId(), "what the platform sends as project");
    assertEquals(MockGemini.PROJECT, status(entity).projectId(), "shown to admins");

    // The journal has it: a new incarnation hands out the same tokens and project without asking Google.
    testKit.stop(entity);
    ActorRef<AccountEntity.Command> restarted = testKit.spawn(AccountEntity.create(id, services));
    AccountEntity.Granted again = assertInstanceOf(AccountEntity.Granted.class, acquire(restarted, "lease-2"));
    assertEquals(s, vault.open(id, again.account().sealedSecrets()));
    assertEquals(1, google.auth().refreshCalls() - refreshesBefore);
    assertEquals(1, google.requests("/v1internal:loadCodeAssist") - loadsBefore);
  }

  @Test
  void aLoginOnNoTierIsOnboardedAndTheOperationPolledUntilDone() {
    String id = "gemini-" + UUID.randomUUID();
    google.setup(MockGemini.Setup.ONBOARD);
    int onboardsBefore = google.requests("/v1internal:onboardUser");
    try {
      ActorRef<AccountEntity.Command> entity = created(id, expiring(MockGemini.REFRESH_TOKEN, null));
      AccountEntity.Granted granted = assertInstanceOf(AccountEntity.Granted.class, acquire(entity, "lease-1"));
      assertEquals(MockGemini.ONBOARDED_PROJECT, vault.open(id, granted.account().sealedSecrets()).upstreamAccountId());
      assertEquals(1, google.requests("/v1internal:onboardUser") - onboardsBefore);
      List<MockGemini.Received> onboard = google.received("/v1internal:onboardUser");
      assertEquals("free-tier", onboard.get(onboard.size() - 1).json().path("tierId").asText());
      assertFalse(onboard.get(onboard.size() - 1).json().has("cloudaicompanionProject"), "free tier: no project");
      assertTrue(google.received().stream().filter(r -> r.path().startsWith("/v1internal/operations/")).count() >= 2,
          "polled until done");
    } finally {
      google.setup(MockGemini.Setup.CURRENT_TIER);
    }
  }

  @Test
  void anAdminsProjectIsKeptAcrossRefreshesAndNotLookedUp() {
    google.setup(MockGemini.Setup.CURRENT_TIER);
    String id = "gemini-" + UUID.randomUUID();
    int loadsBefore = google.requests("/v1internal:loadCodeAssist");
    ActorRef<AccountEntity.Command> entity = created(id, expiring(MockGemini.REFRESH_TOKEN, "admins-own-project"));
    AccountEntity.Granted granted = assertInstanceOf(AccountEntity.Granted.class, acquire(entity, "lease-1"));
    assertEquals("admins-own-project", vault.open(id, granted.account().sealedSecrets()).upstreamAccountId());
    assertEquals(loadsBefore, google.requests("/v1internal:loadCodeAssist"));
  }

  @Test
  void invalidGrantMarksTheAccountForANewLoginWithTheUsualAlerts() {
    String email = "revoked-" + UUID.randomUUID() + "@example.com";
    String refreshToken = "1//revoked-" + UUID.randomUUID();
    google.addAccount(refreshToken, email, "revoked-project");
    google.revokeRefreshToken(email);
    String id = "gemini-" + UUID.randomUUID();
    ActorRef<AccountEntity.Command> entity = created(id, expiring(refreshToken, "revoked-project"));
    assertInstanceOf(AccountEntity.Unavailable.class, acquire(entity, "lease-a"));

    PoolEntry entry = pool.find(id).orElseThrow();
    assertEquals(AccountStatus.UNAUTHORIZED, entry.status());
    assertFalse(entry.schedulable());
    assertTrue(entry.statusReason().contains("invalid_grant"), entry.statusReason());
    assertFalse(entry.statusReason().contains(refreshToken), "the reason never shows the token");
    List<AlertKind> kinds = alerts.stream().filter(a -> a.accountId().equals(id)).map(AccountAlert::kind).toList();
    assertEquals(List.of(AlertKind.REFRESH_FAILED, AlertKind.UNAUTHORIZED), kinds);
    assertTrue(alerts.stream().noneMatch(a -> a.toString().contains(refreshToken)), "nor does an alert");
  }

  @Test
  void theClientIdAndSecretComeOnlyFromTheSettings() {
    RelaySettings.Accounts.GeminiOAuth none = RelaySettings.Accounts.GeminiOAuth.UNCONFIGURED;
    RelaySettings.Accounts.GeminiOAuth mockEndpoints = new RelaySettings.Accounts.GeminiOAuth("", "",
        none.authorizeUrl(), google.tokenUrl(), google.userinfoUrl(), google.baseUrl(), none.redirectUri(),
        Duration.ofSeconds(10), none.sessionTtl(), none.quotaInterval(), none.onboardPollInterval(),
        none.onboardMaxPolls());
    int tokenCallsBefore = google.requests("/token");
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () ->
        new GeminiOAuthClient(testKit.system(), upstream, mockEndpoints).refresh(MockGemini.REFRESH_TOKEN, null)
            .toCompletableFuture().join());
    OAuthException cause = assertInstanceOf(OAuthException.class, e.getCause());
    assertTrue(cause.getMessage().contains("GEMINI_OAUTH_CLIENT_SECRET"), cause.getMessage());
    assertFalse(cause.rejected(), "the node's configuration, not the account's login");
    assertEquals(tokenCallsBefore, google.requests("/token"), "nothing was sent without a client");

    // With the settings' client the refresh goes through, and the form carries that secret.
    client.refresh(MockGemini.REFRESH_TOKEN, null).toCompletableFuture().join();
    List<MockGemini.Received> sent = google.received("/token");
    String form = sent.get(sent.size() - 1).body();
    assertTrue(form.contains("client_secret=" + MockGemini.CLIENT_SECRET), "the configured secret");
    assertTrue(form.contains("grant_type=refresh_token"), form.replace(MockGemini.CLIENT_SECRET, "****"));
  }

  @Test
  void anAccountInUseReadsItsQuotaInTheBackgroundAtMostOnceAnInterval() {
    google.setQuotaRemaining(0.3);
    try {
      String id = "gemini-" + UUID.randomUUID();
      AccountSecrets fresh = new AccountSecrets(null, google.issueAccessToken(), MockGemini.REFRESH_TOKEN,
          System.currentTimeMillis() + 3_600_000, List.of(), null, MockGemini.PROJECT);
      ActorRef<AccountEntity.Command> entity = created(id, fresh);
      int quotaCallsBefore = google.requests("/v1internal:retrieveUserQuota");
      assertInstanceOf(AccountEntity.Granted.class, acquire(entity, "lease-1"));
      TestProbe<Object> wait = testKit.createTestProbe();
      wait.awaitAssert(Duration.ofSeconds(10), () -> {
        assertEquals(0.7, pool.find(id).orElseThrow().utilisation(), 1e-9);
        return null;
      });
      AccountEntity.AccountStatusReply reply = status(entity);
      assertEquals(reply, testKit.serializationTestKit().verifySerialization(reply, false),
          "the reply crosses nodes (CBOR) with its quota");
      QuotaSnapshot quota = reply.quota();
      assertNotNull(quota);
      assertEquals(5, quota.buckets().size());
      assertEquals(0.3, quota.buckets().get(0).remainingFraction(), 1e-9);
      assertEquals(300, quota.buckets().get(0).remainingAmount());
      List<MockGemini.Received> asked = google.received("/v1internal:retrieveUserQuota");
      assertEquals(MockGemini.PROJECT, asked.get(asked.size() - 1).json().path("project").asText());

      // Used again within the interval: no second reading.
      assertInstanceOf(AccountEntity.Granted.class, acquire(entity, "lease-2"));
      status(entity);
      assertEquals(1, google.requests("/v1internal:retrieveUserQuota") - quotaCallsBefore);
    } finally {
      google.setQuotaRemaining(1.0);
    }
  }
}
