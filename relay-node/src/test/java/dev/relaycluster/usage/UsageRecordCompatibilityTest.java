package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.apikey.ApiKeyEntity;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage events written before the ledger's fields (or the dialects) existed still read, with those fields
 * defaulted; the current shape round-trips.
 */
class UsageRecordCompatibilityTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(ConfigFactory.parseString("pekko.actor.provider = local")
        .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void anEventWithoutTheNewFieldsDeserializes() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    UsageRecord current = UsageLedgerContract.record("req-1", "key-1", 1_700_000_000_000L, 1234);
    ApiKeyEntity.UsageRecorded event = new ApiKeyEntity.UsageRecorded(current);
    Serializer serializer = serialization.findSerializerFor(event);
    String manifest = Serializers.manifestFor(serializer, event);
    ObjectMapper cbor = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", Optional.empty());

    // The event as a node from before the ledger wrote it: no latency, multiplier or service rate.
    ObjectNode tree = cbor.valueToTree(event);
    ObjectNode usage = (ObjectNode) tree.get("usage");
    usage.remove("upstreamLatencyMs");
    usage.remove("accountPriceMultiplier");
    usage.remove("serviceRate");
    usage.put("ratedCostMicros", 2468);
    byte[] old = cbor.writeValueAsBytes(tree);

    UsageRecord read = ((ApiKeyEntity.UsageRecorded) serialization
        .deserialize(old, serializer.identifier(), manifest).get()).usage();
    assertEquals(current.requestId(), read.requestId());
    assertEquals(1234, read.costMicros());
    assertEquals(0, read.upstreamLatencyMs());
    assertNull(read.accountPriceMultiplier());
    assertNull(read.serviceRate());
    assertEquals(1.0, read.accountMultiplierOrOne());
    assertEquals(2.0, read.effectiveServiceRate(), "the rate older events imply: rated / real");

    // And the current shape round-trips.
    byte[] bytes = serialization.serialize(event).get();
    assertEquals(event, serialization.deserialize(bytes, serializer.identifier(), manifest).get());
  }

  @Test
  void anEventWithoutTheDialectsReadsWithNullsAndOneWithThemRoundTrips() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    UsageRecord base = UsageLedgerContract.record("req-2", "key-1", 1_700_000_000_000L, 99);
    UsageRecord converted = new UsageRecord(base.requestId(), base.keyId(), base.accountId(), base.platform(),
        base.endpoint(), base.model(), base.servedModel(), base.stream(), base.inputTokens(), base.outputTokens(),
        base.cacheReadTokens(), base.cacheWrite5mTokens(), base.cacheWrite1hTokens(), base.inputCostMicros(),
        base.outputCostMicros(), base.cacheWriteCostMicros(), base.cacheReadCostMicros(), base.costMicros(),
        base.ratedCostMicros(), base.priceVersion(), base.priceFallback(), base.status(), base.outcome(),
        base.errorType(), base.startedAt(), base.durationMs(), base.firstByteMs(), base.attempts(),
        base.sessionHash(), base.userAgent(), base.client(), base.clientVersion(), base.upstreamLatencyMs(),
        base.accountPriceMultiplier(), base.serviceRate(), "openai-chat", "anthropic");
    ApiKeyEntity.UsageRecorded event = new ApiKeyEntity.UsageRecorded(converted);
    Serializer serializer = serialization.findSerializerFor(event);
    String manifest = Serializers.manifestFor(serializer, event);
    byte[] bytes = serialization.serialize(event).get();
    UsageRecord read = ((ApiKeyEntity.UsageRecorded) serialization
        .deserialize(bytes, serializer.identifier(), manifest).get()).usage();
    assertEquals(converted, read);
    assertEquals("openai-chat", read.clientDialect());
    assertEquals("anthropic", read.upstreamDialect());

    ObjectMapper cbor = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", Optional.empty());
    ObjectNode tree = cbor.readValue(bytes, ObjectNode.class);
    ObjectNode usage = (ObjectNode) tree.get("usage");
    assertEquals("openai-chat", usage.get("clientDialect").asText(), "the field's name in the event");
    assertEquals("anthropic", usage.get("upstreamDialect").asText());
    usage.remove("clientDialect");
    usage.remove("upstreamDialect");
    UsageRecord old = ((ApiKeyEntity.UsageRecorded) serialization
        .deserialize(cbor.writeValueAsBytes(tree), serializer.identifier(), manifest).get()).usage();
    assertNull(old.clientDialect());
    assertNull(old.upstreamDialect());
    assertEquals(base, old, "every other field as written");
  }

  @Test
  void anEventWithoutTheRouteReadsWithNullAndOneWithItRoundTrips() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    UsageRecord base = UsageLedgerContract.record("req-3", "key-1", 1_700_000_000_000L, 77);
    UsageRecord routed = base.withRoute("session:acc-1=529 overloaded > session-rebound:acc-2=200");
    ApiKeyEntity.UsageRecorded event = new ApiKeyEntity.UsageRecorded(routed);
    Serializer serializer = serialization.findSerializerFor(event);
    String manifest = Serializers.manifestFor(serializer, event);
    byte[] bytes = serialization.serialize(event).get();
    assertEquals(routed, ((ApiKeyEntity.UsageRecorded) serialization
        .deserialize(bytes, serializer.identifier(), manifest).get()).usage());

    ObjectMapper cbor = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", Optional.empty());
    ObjectNode tree = cbor.readValue(bytes, ObjectNode.class);
    ObjectNode usage = (ObjectNode) tree.get("usage");
    assertEquals(routed.route(), usage.get("route").asText(), "the field's name in the event");
    usage.remove("route");
    UsageRecord old = ((ApiKeyEntity.UsageRecorded) serialization
        .deserialize(cbor.writeValueAsBytes(tree), serializer.identifier(), manifest).get()).usage();
    assertNull(old.route());
    assertEquals(base, old, "every other field as written");
  }
}
