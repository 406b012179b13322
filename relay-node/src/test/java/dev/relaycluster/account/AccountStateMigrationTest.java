package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import java.util.Base64;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Snapshots of accounts written while the state was the nested record {@code AccountEntity.State} are
 * read back as {@link AccountState} through the application's serialization set-up (its
 * {@code pekko.serialization.jackson.migrations}), as the snapshot store would read them on recovery.
 */
class AccountStateMigrationTest {
  /** Serializer and manifest the snapshot store kept with the old snapshot. */
  private static final String OLD_MANIFEST = "dev.relaycluster.account.AccountEntity$State";
  /**
   * An old snapshot's payload, written by the nested {@code AccountEntity.State} record of commit 94d46bd
   * through the Serialization extension (jackson-cbor): account acc-1, revision 17, an Opus cooldown and an
   * unauthorized mark.
   */
  private static final String OLD_PAYLOAD =
      "v2lhY2NvdW50SWRlYWNjLTFqZGVmaW5pdGlvbr9iaWRlYWNjLTFkbmFtZWRtYWluZHR5cGVsQ0xBVURFX09BVVRIZ2Jhc2VV"
      + "cmx4GWh0dHBzOi8vYXBpLmFudGhyb3BpYy5jb21ocHJpb3JpdHkKbm1heENvbmN1cnJlbmN5A2ZwYXVzZWT0bXNlYWxlZFNl"
      + "Y3JldHNEASoHCWljcmVhdGVkQXQZA+hpdXBkYXRlZEF0GQfQZmdyb3Vwc4FmdGVhbS1hb3ByaWNlTXVsdGlwbGllcvs/+AAA"
      + "AAAAAGR0aWVyY01BWGVwcm94eXFodHRwOi8vcHJveHk6ODA4MP9pZGVsZXRlZEF0AGhyZXZpc2lvbhFmaGVhbHRov2ljb29s"
      + "ZG93bnO/ZG9wdXO/ZmZhbWlseWRvcHVzZXVudGlsGSMoZnJlYXNvbmxyYXRlIGxpbWl0ZWRmc3RhdHVzGQGtbnRyYW5zaWVu"
      + "dEVycm9y9GJhdBkTiP//bWJsb2NrZWRSZWFzb272cnVuYXV0aG9yaXplZFJlYXNvbm10b2tlbiBleHBpcmVka3V0aWxpc2F0"
      + "aW9u+z/mZmZmZmZmZ3dpbmRvd3O/aGZpdmVIb3Vy+z/mZmZmZmZmZndlZWtsefs/0AAAAAAAAP///w==";

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    Config config = ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("AccountStateMigrationTest", config);
    serialization = SerializationExtension.get(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void anOldSnapshotIsReadAsTheNewState() throws Exception {
    byte[] old = Base64.getDecoder().decode(OLD_PAYLOAD);
    int serializerId = serialization.serializerFor(AccountState.class).identifier();
    Object read = serialization.deserialize(old, serializerId, OLD_MANIFEST).get();

    AccountState state = assertInstanceOf(AccountState.class, read);
    assertEquals("acc-1", state.accountId());
    assertEquals(17, state.revision());
    assertEquals(0, state.deletedAt());
    AccountDefinition d = state.definition();
    assertEquals("main", d.name());
    assertEquals(AccountType.CLAUDE_OAUTH, d.type());
    assertEquals(3, d.maxConcurrency());
    assertArrayEquals(new byte[] {1, 42, 7, 9}, d.sealedSecrets());
    assertEquals(List.of("team-a"), d.groups());
    assertEquals(1.5, d.priceMultiplier());
    assertEquals(SubscriptionTier.MAX, d.tier());
    assertEquals("http://proxy:8080", d.proxy());
    assertEquals(new CooldownMark("opus", 9_000L, "rate limited", 429, false, 5_000L),
        state.health().cooldowns().get("opus"));
    assertEquals("token expired", state.health().unauthorizedReason());
    assertEquals(0.7, state.health().utilisation());
    assertEquals(new UsageWindows(0.7, 0.25), state.health().windows());
    assertEquals(AccountStatus.UNAUTHORIZED, state.status());

    // Written again, it is the same payload under the new class name (no migration version on it).
    Serializer serializer = serialization.findSerializerFor(state);
    assertEquals(serializerId, serializer.identifier());
    assertEquals("dev.relaycluster.account.AccountState", Serializers.manifestFor(serializer, state));
    assertArrayEquals(old, serializer.toBinary(state));
  }

  @Test
  void aNewSnapshotIsReadBack() {
    AccountState state = AccountState.empty("acc-2")
        .apply(new AccountEntity.AccountCreated(new AccountDefinition("acc-2", "second", AccountType.CLAUDE_CONSOLE,
            "https://api.anthropic.com", 1, 0, false, new byte[] {5}, 10L, 10L)))
        .apply(new AccountEntity.AccountBlocked("acc-2", "organization disabled", 20L));
    Serializer serializer = serialization.findSerializerFor(state);
    byte[] bytes = serializer.toBinary(state);
    AccountState read = (AccountState) serialization.deserialize(bytes, serializer.identifier(),
        Serializers.manifestFor(serializer, state)).get();
    assertEquals(state.toEntry(), read.toEntry());
    assertEquals(state.health(), read.health());
  }
}
