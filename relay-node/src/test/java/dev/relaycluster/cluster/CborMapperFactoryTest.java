package dev.relaycluster.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's CBOR with string references: a usage batch is written far smaller, and either form reads on a
 * node with or without references (journals written before, nodes of an earlier version).
 */
class CborMapperFactoryTest {
  private static ActorSystem<Void> compact;
  private static ActorSystem<Void> plain;

  @BeforeAll
  static void start() {
    Config config = ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load());
    compact = ActorSystem.create(Behaviors.empty(), "compact",
        ActorSystemSetup.create(BootstrapSetup.create(config), CborMapperFactory.setup()));
    plain = ActorSystem.create(Behaviors.empty(), "plain", config);
  }

  @AfterAll
  static void stop() {
    compact.terminate();
    plain.terminate();
  }

  private static UsageRecord record(int i, String userAgent) {
    return new UsageRecord("0193a1b2-0000-7000-8000-" + String.format("%012d", i),
        "7a0f29ad-72a6-4225-88d2-122b8e63a8da", "df8c138d-8981-47d7-820a-b1dad6b420ec", "claude", "messages",
        "claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929", true, 1200 + i, 57, 20000, 1000, 0, 3600,
        855, 5250, 6000, 15705, 15705, "sha256:0d0bd04de87773a9", false, 200, RequestOutcome.COMPLETED, null,
        1_700_000_000_000L + i, 830, 120, 1, "5f65322803bed50e", userAgent, "claude-code", "2.0.14", 95, 1.0, 1.0,
        "anthropic", "anthropic", "session:df8c138d-8981-47d7-820a-b1dad6b420ec=200");
  }

  private static ApiKeyEntity.UsageBatchRecorded batch(int records) {
    List<UsageRecord> usage = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      usage.add(record(i, "claude-cli/2.0.14 (external, cli) \"ünï\" 😀"));
    }
    return new ApiKeyEntity.UsageBatchRecorded("7a0f29ad-72a6-4225-88d2-122b8e63a8da", usage);
  }

  private static Object roundTrip(ActorSystem<?> writer, ActorSystem<?> reader, Object event) {
    Serialization out = SerializationExtension.get(writer);
    Serializer serializer = out.findSerializerFor(event);
    byte[] bytes = out.serialize(event).get();
    return SerializationExtension.get(reader)
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event)).get();
  }

  @Test
  void aBatchIsWrittenInAFractionOfItsPlainSize() {
    ApiKeyEntity.UsageBatchRecorded event = batch(20);
    int plainSize = SerializationExtension.get(plain).serialize(event).get().length;
    int compactSize = SerializationExtension.get(compact).serialize(event).get().length;
    assertTrue(compactSize * 2 < plainSize, "compact " + compactSize + " bytes against plain " + plainSize);
    // One record alone gains less (its field names are each written once either way) but never grows.
    ApiKeyEntity.UsageBatchRecorded one = batch(1);
    assertTrue(SerializationExtension.get(compact).serialize(one).get().length
        <= SerializationExtension.get(plain).serialize(one).get().length);
  }

  @Test
  void eitherFormReadsOnEitherNode() {
    ApiKeyEntity.UsageBatchRecorded event = batch(20);
    assertEquals(event, roundTrip(compact, compact, event));
    assertEquals(event, roundTrip(plain, compact, event), "an event journaled before references");
    assertEquals(event, roundTrip(compact, plain, event), "a node without references reading this one's");
  }
}
