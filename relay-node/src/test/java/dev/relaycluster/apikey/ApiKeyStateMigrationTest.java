package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Snapshots of keys written while the state was the nested record {@code ApiKeyEntity.State} are read
 * back as {@link ApiKeyState} through the application's serialization set-up (its
 * {@code pekko.serialization.jackson.migrations}), as the snapshot store would read them on recovery.
 */
class ApiKeyStateMigrationTest {
  /** Manifest the snapshot store kept with the old snapshot. */
  private static final String OLD_MANIFEST = "dev.relaycluster.apikey.ApiKeyEntity$State";
  /**
   * An old snapshot's payload, written by the nested {@code ApiKeyEntity.State} record of commit 94d46bd
   * through the Serialization extension (jackson-cbor): key key-1 with settings, 12 requests, two
   * remembered request ids and cost totals.
   */
  private static final String OLD_PAYLOAD =
      "v2VrZXlJZGVrZXktMWRuYW1laHRlYW0ga2V5Z2tleUhhc2hmaGFzaC0xZ2tleUhpbnRqcmstLi4uYWJjZHBjb25jdXJyZW5j"
      + "eUxpbWl0BGljcmVhdGVkQXQZA+hpcmV2b2tlZEF0AGhyZXZpc2lvbgNocmVxdWVzdHMMa3RvdGFsVG9rZW5zGQ2AamNvc3RN"
      + "aWNyb3MZHtJwcmVjZW50UmVxdWVzdElkc4JlcmVxLTFlcmVxLTJoc2V0dGluZ3O/ZG5hbWVodGVhbSBrZXlrZGVzY3JpcHRp"
      + "b25sZm9yIHRoZSB0ZWFtZHRhZ3OBYnQxZmxpbWl0c79rY29uY3VycmVuY3kEanJhdGVXaW5kb3f2b2RhaWx5Q29zdE1pY3Jv"
      + "cxoATEtAb3RvdGFsQ29zdE1pY3JvcwB0d2Vla2x5T3B1c0Nvc3RNaWNyb3MaAA9CQG53ZWVrbHlSZXNldERheQFvd2Vla2x5"
      + "UmVzZXRIb3VyAP9mYWNjZXNzv2Vwb29sc4BtYWxsb3dlZE1vZGVsc4BtYmxvY2tlZE1vZGVsc4BuYWxsb3dlZENsaWVudHOA"
      + "/2ZleHBpcnm/ZG1vZGVkTk9ORWlleHBpcmVzQXQAcGFjdGl2YXRpb25NaWxsaXMA/2xzZXJ2aWNlUmF0ZXO/ZG9wdXP7QAAA"
      + "AAAAAAD/aGJpbmRpbmdzv///a2FjdGl2YXRlZEF0GQXcaWRlbGV0ZWRBdABmdG90YWxzv2t0b3RhbE1pY3Jvcxke0mhkYXlT"
      + "dGFydBoFJlwAaWRheU1pY3JvcxkE0ml3ZWVrU3RhcnQAbndlZWtPcHVzTWljcm9zGDj//w==";

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    Config config = ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("ApiKeyStateMigrationTest", config);
    serialization = SerializationExtension.get(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void anOldSnapshotIsReadAsTheNewState() throws Exception {
    byte[] old = Base64.getDecoder().decode(OLD_PAYLOAD);
    int serializerId = serialization.serializerFor(ApiKeyState.class).identifier();
    Object read = serialization.deserialize(old, serializerId, OLD_MANIFEST).get();

    ApiKeyState state = assertInstanceOf(ApiKeyState.class, read);
    assertEquals("key-1", state.keyId());
    assertEquals("hash-1", state.keyHash());
    assertEquals(3, state.revision());
    assertEquals(12, state.requests());
    assertEquals(3456, state.totalTokens());
    assertEquals(7890, state.costMicros());
    assertEquals(List.of("req-1", "req-2"), state.recentRequestIds());
    assertTrue(state.recorded("req-2"));
    assertEquals(1_500L, state.activatedAt());
    assertEquals(new CostTotals(7890, 86_400_000L, 1234, 0, 56), state.totals());
    KeySettings s = state.currentSettings();
    assertEquals("team key", s.name());
    assertEquals(new KeyLimits(4, null, 5_000_000L, 0, 1_000_000L, 1, 0), s.limits());
    assertEquals(Map.of("opus", 2.0), s.serviceRates());
    assertEquals(List.of(), s.modelMap(), "a key saved before model maps has none");
    assertEquals(KeyStatus.ACTIVE, state.toEntry().status());

    // Written again, it is the same payload under the new class name (no migration version on it).
    Serializer serializer = serialization.findSerializerFor(state);
    assertEquals(serializerId, serializer.identifier());
    assertEquals("dev.relaycluster.apikey.ApiKeyState", Serializers.manifestFor(serializer, state));
    assertArrayEquals(old, serializer.toBinary(state));
  }

  @Test
  void aNewSnapshotIsReadBack() {
    ApiKeyState state = ApiKeyState.empty("key-2")
        .apply(new ApiKeyEntity.KeyCreated("key-2", "second", "hash-2", "rk-...wxyz", 2, 10L))
        .apply(new ApiKeyEntity.KeyRevoked("key-2", 20L));
    Serializer serializer = serialization.findSerializerFor(state);
    byte[] bytes = serializer.toBinary(state);
    ApiKeyState read = (ApiKeyState) serialization.deserialize(bytes, serializer.identifier(),
        Serializers.manifestFor(serializer, state)).get();
    assertEquals(state, read);
  }

  @Test
  void aKeysModelMapIsWrittenAndReadBack() {
    KeySettings settings = new KeySettings("mapped", "", List.of(), KeyLimits.NONE, KeyAccess.ANY, KeyExpiry.NONE,
        Map.of(), Map.of(), List.of(new dev.relaycluster.config.ModelRule("claude-*", "openai", "gpt-5.1-codex"),
            new dev.relaycluster.config.ModelRule("sonnet", "claude", null)));
    ApiKeyState state = ApiKeyState.empty("key-3")
        .apply(new ApiKeyEntity.KeyCreated("key-3", "mapped", "hash-3", "rk-...3333", 2, 10L))
        .apply(new ApiKeyEntity.KeyUpdated("key-3", settings, 20L));
    Serializer serializer = serialization.findSerializerFor(state);
    ApiKeyState read = (ApiKeyState) serialization.deserialize(serializer.toBinary(state), serializer.identifier(),
        Serializers.manifestFor(serializer, state)).get();
    assertEquals(state, read);
    assertEquals(settings.modelMap(), read.currentSettings().modelMap());
  }
}
