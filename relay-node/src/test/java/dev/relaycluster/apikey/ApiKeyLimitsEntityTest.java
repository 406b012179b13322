package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key entity's limits with the persistence test kit and a clock moved by hand: settings and their
 * events, activation, rate windows, cost reservations settling to real cost, daily and weekly resets in
 * the configured zone, and totals that survive a restart.
 */
class ApiKeyLimitsEntityTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static KeyEntityRig rig;
  private static ActorTestKit testKit;
  private static KeyDirectory directory;

  private String keyId;
  private MutableClock clock;
  private EventSourcedBehaviorTestKit<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState> kit;
  private TestProbe<LeaseHolder.Command> holder;

  @BeforeAll
  static void startSystem() {
    rig = KeyEntityRig.start("ApiKeyLimitsEntityTest");
    testKit = rig.testKit();
    directory = rig.directory();
  }

  @AfterAll
  static void stopSystem() {
    rig.stop();
  }

  @BeforeEach
  void newKey() {
    keyId = "key-" + UUID.randomUUID();
    // Wednesday 2026-11-18 20:00 in Shanghai.
    clock = new MutableClock(Instant.parse("2026-11-18T12:00:00Z"));
    kit = rig.entity(keyId, clock, ZONE);
    holder = testKit.createTestProbe();
  }

  private static KeySettings settings(KeyLimits limits, KeyExpiry expiry) {
    return new KeySettings("limited", "a key with limits", List.of("team-a"), limits, KeyAccess.ANY, expiry,
        Map.of("claude", 2.0), Map.of("claude", new KeyBinding(null, "team-a", false)));
  }

  private KeyEntry create(KeySettings s) {
    return kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Create("hash-" + keyId, "cr_abcd", s,
        clock.millis(), r)).reply().getValue();
  }

  private ApiKeyEntity.AdmitReply admit(String lease, RequestFacts facts) {
    return kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit(lease, holder.getRef(), facts, r)).reply();
  }

  private String admitted(RequestFacts facts) {
    String lease = UUID.randomUUID().toString();
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit(lease, facts));
    return lease;
  }

  private ApiKeyEntity.Refused refused(RequestFacts facts, Refusal expected) {
    ApiKeyEntity.Refused r = assertInstanceOf(ApiKeyEntity.Refused.class, admit(UUID.randomUUID().toString(), facts));
    assertEquals(expected, r.refusal(), r.message());
    return r;
  }

  private void settle(String lease, String model, long ratedMicros, long tokens) {
    UsageRecord u = new UsageRecord(lease, keyId, "acc", "claude", "messages", model, model, false, tokens, 0, 0, 0, 0,
        0, 0, 0, 0, ratedMicros / 2, ratedMicros, "v", false, 200, RequestOutcome.COMPLETED, null,
        clock.millis() - 100, 100, 10, 1, null, "claude-cli/2.0.14 (external, cli)", "claude-code", "2.0.14");
    kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease, u, r));
  }

  private KeyUsage usage() {
    return kit.<KeyUsage>runCommand(ApiKeyEntity.GetUsage::new).reply();
  }

  private static RequestFacts facts(String model, long estimate, long tokens) {
    return new RequestFacts("claude", "anthropic", model, "claude-code", estimate, tokens);
  }

  @Test
  void createWithSettingsWritesTheDefinitionAndTheDirectoryCarriesIt() {
    KeySettings s = settings(new KeyLimits(3, new RateWindowLimit(60, 10, 0, 0), 1, 2, 3, 7, 23),
        KeyExpiry.fixed(5_000_000_000_000L));
    var result = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Create("hash-" + keyId, "cr_abcd", s,
        clock.millis(), r));
    assertEquals(List.of(
        new ApiKeyEntity.KeyCreated(keyId, "limited", "hash-" + keyId, "cr_abcd", 3, clock.millis()),
        new ApiKeyEntity.KeyUpdated(keyId, s, clock.millis())), result.events());
    KeyEntry entry = result.reply().getValue();
    assertEquals(s, entry.settings());
    assertEquals(2.0, entry.serviceRate("claude"));
    assertEquals(1.0, entry.serviceRate("openai"));
    assertEquals(new KeyBinding(null, "team-a", false), entry.binding("claude"));
    assertEquals(KeyBinding.NONE, entry.binding("gemini"));
    assertEquals(Optional.of(entry), directory.findByHash("hash-" + keyId));
    assertEquals(2L, entry.revision());
  }

  @Test
  void updateDeleteRestoreAndRevokeAreDefinitionEvents() {
    create(settings(KeyLimits.NONE, KeyExpiry.NONE));
    KeySettings changed = settings(new KeyLimits(1, null, 0, 0, 0, 1, 0), KeyExpiry.NONE);
    var updated = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Update(changed, 7L, r));
    assertEquals(new ApiKeyEntity.KeyUpdated(keyId, changed, 7L), updated.event());
    assertEquals(1, directory.findById(keyId).orElseThrow().concurrencyLimit());
    assertTrue(kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Update(changed, 8L, r)).hasNoEvents(),
        "an update that changes nothing writes nothing");
    // An edit computed from an older revision is refused, so a concurrent edit is never overwritten.
    long revision = directory.findById(keyId).orElseThrow().revision();
    KeySettings other = settings(new KeyLimits(5, null, 0, 0, 0, 1, 0), KeyExpiry.NONE);
    var stale = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Update(other, 8L, revision - 1, r));
    assertTrue(stale.hasNoEvents());
    assertEquals(ApiKeyEntity.CHANGED_CONCURRENTLY, stale.reply().getError().getMessage());
    var current = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Update(other, 8L, revision, r));
    assertEquals(5, current.reply().getValue().concurrencyLimit());

    var deleted = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Delete(9L, r));
    assertEquals(KeyStatus.DELETED, deleted.reply().getValue().status());
    assertEquals(KeyStatus.DELETED, directory.findById(keyId).orElseThrow().status());
    refused(facts("m", 0, 0), Refusal.DELETED);
    var restored = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Restore(10L, r));
    assertEquals(new ApiKeyEntity.KeyRestored(keyId, 10L), restored.event());
    assertEquals(KeyStatus.ACTIVE, directory.findById(keyId).orElseThrow().status());
    admitted(facts("m", 0, 0));

    kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Revoke(11L, r));
    var again = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Restore(12L, r));
    assertTrue(again.hasNoEvents());
    assertEquals("a revoked key cannot be restored", again.reply().getError().getMessage());
    assertEquals(KeyStatus.REVOKED, kit.restart().state().toEntry().status());
  }

  @Test
  void activationStartsWithTheFirstAdmissionAndExpiresAfterItsPeriod() {
    create(settings(KeyLimits.NONE, KeyExpiry.activation(Duration.ofHours(12).toMillis())));
    long first = clock.millis();
    var result = kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit("l1", holder.getRef(),
        facts("m", 0, 0), r));
    assertInstanceOf(ApiKeyEntity.Admitted.class, result.reply());
    assertEquals(new ApiKeyEntity.KeyActivated(keyId, first), result.event());
    assertEquals(first, directory.findById(keyId).orElseThrow().activatedAt());
    assertEquals(first + Duration.ofHours(12).toMillis(), directory.findById(keyId).orElseThrow().expiresAt());

    clock.advance(Duration.ofHours(1));
    var second = kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit("l2", holder.getRef(),
        facts("m", 0, 0), r));
    assertTrue(second.hasNoEvents(), "only the first use activates");
    clock.set(Instant.ofEpochMilli(first + Duration.ofHours(12).toMillis() - 1));
    admitted(facts("m", 0, 0));
    clock.advance(Duration.ofMillis(1));
    ApiKeyEntity.Refused expired = refused(facts("m", 0, 0), Refusal.EXPIRED);
    assertEquals("this API key expired at 2026-11-19T00:00:00Z", expired.message());
    assertEquals(first, kit.restart().state().activatedAt(), "activation is durable");
    refused(facts("m", 0, 0), Refusal.EXPIRED);
  }

  @Test
  void theRateWindowCountsRequestsAtAdmissionAndTokensWhenUsageSettles() {
    create(settings(new KeyLimits(0, new RateWindowLimit(1, 3, 1_000, 0), 0, 0, 0, 1, 0), KeyExpiry.NONE));
    String a = admitted(facts("m", 0, 100));
    settle(a, "m", 10, 700);
    String b = admitted(facts("m", 0, 300));
    ApiKeyEntity.Refused r = refused(facts("m", 0, 0), Refusal.RATE_WINDOW);
    assertTrue(r.message().contains("1000 tokens per 1-minute window"), r.message() + ": 700 used + 300 reserved");
    settle(b, "m", 10, 100);
    String c = admitted(facts("m", 0, 0));
    settle(c, "m", 10, 0);
    ApiKeyEntity.Refused full = refused(facts("m", 0, 0), Refusal.RATE_WINDOW);
    assertTrue(full.message().contains("3 requests per 1-minute window"), full.message());
    assertEquals(60, full.retryAfterSeconds());
    KeyUsage u = usage();
    assertEquals(new RateWindow(clock.millis(), 60_000, 3, 800, 30), u.window());

    clock.advance(Duration.ofSeconds(59));
    refused(facts("m", 0, 0), Refusal.RATE_WINDOW);
    clock.advance(Duration.ofSeconds(1));
    admitted(facts("m", 0, 0));
    assertEquals(1, usage().window().requests(), "a new window opened with this request");
  }

  @Test
  void costReservationsHoldUntilUsageSettlesToTheRealCost() {
    create(settings(new KeyLimits(0, null, 1_000_000, 0, 0, 1, 0), KeyExpiry.NONE));
    String a = admitted(facts("m", 400_000, 0));
    String b = admitted(facts("m", 400_000, 0));
    String c = admitted(facts("m", 400_000, 0));
    ApiKeyEntity.Refused r = refused(facts("m", 400_000, 0), Refusal.DAILY_COST);
    assertEquals(Instant.parse("2026-11-18T16:00:00Z").toEpochMilli(), r.resetAt(), "midnight in Shanghai");
    assertEquals(1_200_000, usage().reservedMicros());
    settle(a, "m", 100_000, 0);
    settle(b, "m", 100_000, 0);
    settle(c, "m", 100_000, 0);
    KeyUsage u = usage();
    assertEquals(0, u.reservedMicros());
    assertEquals(300_000, u.todayMicros());
    assertEquals(300_000, u.totalRatedMicros());
    admitted(facts("m", 400_000, 0));
    // A lease released without usage (the request died before upstream) frees its reservation too.
    String d = admitted(facts("m", 400_000, 0));
    refused(facts("m", 1, 0), Refusal.DAILY_COST);
    kit.runCommand(new ApiKeyEntity.Release(d));
    admitted(facts("m", 1, 0));
  }

  @Test
  void theDailyLimitResetsAtMidnightInTheZoneAndTotalsSurviveARestart() {
    create(settings(new KeyLimits(0, null, 500_000, 1_000_000, 0, 1, 0), KeyExpiry.NONE));
    clock.set(Instant.parse("2026-11-18T15:30:00Z")); // 23:30 in Shanghai
    String a = admitted(facts("m", 0, 0));
    settle(a, "m", 500_000, 0);
    refused(facts("m", 0, 0), Refusal.DAILY_COST);
    kit.restart();
    ApiKeyEntity.Refused r = refused(facts("m", 0, 0), Refusal.DAILY_COST);
    assertEquals(30 * 60, r.retryAfterSeconds());
    clock.set(Instant.parse("2026-11-18T16:00:00Z"));
    String b = admitted(facts("m", 0, 0));
    assertEquals(0, usage().todayMicros());
    settle(b, "m", 400_000, 0);
    admitted(facts("m", 0, 0));
    kit.restart();
    KeyUsage u = usage();
    assertEquals(900_000, u.totalRatedMicros());
    assertEquals(400_000, u.todayMicros());
    assertNull(u.window());
    clock.set(Instant.parse("2026-11-19T16:00:00Z"));
    String c = admitted(facts("m", 0, 0));
    settle(c, "m", 100_000, 0);
    ApiKeyEntity.Refused total = refused(facts("m", 0, 0), Refusal.TOTAL_COST);
    assertEquals(0, total.resetAt());
  }

  @Test
  void theWeeklyOpusLimitResetsOnItsDayAndHour() {
    // Resets on Mondays at 09:00 Shanghai time = Monday 01:00 UTC.
    create(settings(new KeyLimits(0, null, 0, 0, 1_000_000, 1, 9), KeyExpiry.NONE));
    clock.set(Instant.parse("2026-11-23T00:59:00Z"));
    String a = admitted(facts("claude-opus-4-1-20250805", 0, 0));
    settle(a, "claude-opus-4-1-20250805", 1_000_000, 0);
    ApiKeyEntity.Refused r = refused(facts("claude-opus-4-1-20250805", 0, 0), Refusal.WEEKLY_OPUS_COST);
    assertEquals(Instant.parse("2026-11-23T01:00:00Z").toEpochMilli(), r.resetAt());
    assertEquals(60, r.retryAfterSeconds());
    admitted(facts("claude-sonnet-4-5", 0, 0));
    clock.set(Instant.parse("2026-11-23T00:59:59.999Z"));
    refused(facts("claude-opus-4-1-20250805", 0, 0), Refusal.WEEKLY_OPUS_COST);
    clock.set(Instant.parse("2026-11-23T01:00:00Z"));
    admitted(facts("claude-opus-4-1-20250805", 0, 0));
    assertEquals(0, usage().weekOpusMicros());
    assertEquals(1_000_000, usage().totalRatedMicros());
  }

  @Test
  void aReservationGoesWithTheLeaseWhenItsHolderDies() throws Exception {
    create(settings(new KeyLimits(0, null, 0, 1_000, 0, 1, 0), KeyExpiry.NONE));
    var dying = testKit.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.<LeaseHolder.Command>ignore(),
        "holder-" + UUID.randomUUID());
    String lease = UUID.randomUUID().toString();
    assertInstanceOf(ApiKeyEntity.Admitted.class, kit.<ApiKeyEntity.AdmitReply>runCommand(r ->
        new ApiKeyEntity.Admit(lease, dying, facts("m", 1_000, 0), r)).reply());
    refused(facts("m", 1, 0), Refusal.TOTAL_COST);
    testKit.stop(dying);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (usage().inFlight() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, usage().inFlight());
    assertEquals(0, usage().reservedMicros(), "the dead request's reservation is gone with its lease");
    admitted(facts("m", 1, 0));
  }

  @Test
  void aRefusalRecordedAsUsageIsInTheLedgerOnceAndCostsNothing() {
    create(settings(new KeyLimits(1, null, 0, 0, 0, 1, 0), KeyExpiry.NONE));
    admitted(facts("m", 0, 0));
    ApiKeyEntity.Refused r = refused(facts("m", 0, 0), Refusal.CONCURRENCY);
    UsageRecord refusal = new UsageRecord("req-refused", keyId, null, "claude", "messages", "m", null, false, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, "v", false, r.refusal().status(), RequestOutcome.REFUSED, "rate_limit_error",
        clock.millis(), 1, -1, 0, null, null, "unknown", null);
    var first = kit.<Done>runCommand(x -> new ApiKeyEntity.Settle("req-refused", refusal, x));
    assertEquals(new ApiKeyEntity.UsageBatchRecorded(keyId, List.of(refusal)), first.event());
    assertTrue(kit.<Done>runCommand(x -> new ApiKeyEntity.Settle("req-refused", refusal, x)).hasNoEvents());
    assertEquals(1, usage().inFlight(), "recording the refusal released nothing it did not hold");
    assertEquals(0, usage().totalRatedMicros());
  }
}
