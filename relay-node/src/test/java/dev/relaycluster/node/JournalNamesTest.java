package dev.relaycluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.usage.UsageRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The journals name each event by its class (the Jackson serializer's manifest): moving or renaming a
 * persisted event would leave the stored journals unreadable. The entities' events keep these names however
 * their behaviour is split into files.
 */
class JournalNamesTest {

  @Test
  void theKeyAndAccountEventsKeepTheirClassNames() {
    assertEquals(Set.of(
        "dev.relaycluster.apikey.ApiKeyEntity$KeyCreated",
        "dev.relaycluster.apikey.ApiKeyEntity$KeyUpdated",
        "dev.relaycluster.apikey.ApiKeyEntity$KeyRevoked",
        "dev.relaycluster.apikey.ApiKeyEntity$KeyDeleted",
        "dev.relaycluster.apikey.ApiKeyEntity$KeyRestored",
        "dev.relaycluster.apikey.ApiKeyEntity$KeyActivated",
        "dev.relaycluster.apikey.ApiKeyEntity$UsageRecorded",
        "dev.relaycluster.apikey.ApiKeyEntity$UsageBatchRecorded"), names(ApiKeyEntity.Event.class));
    assertEquals(Set.of(
        "dev.relaycluster.account.AccountEntity$AccountCreated",
        "dev.relaycluster.account.AccountEntity$AccountUpdated",
        "dev.relaycluster.account.AccountEntity$AccountDeleted",
        "dev.relaycluster.account.AccountEntity$CooldownStarted",
        "dev.relaycluster.account.AccountEntity$CooldownEnded",
        "dev.relaycluster.account.AccountEntity$AccountBlocked",
        "dev.relaycluster.account.AccountEntity$AccountUnauthorized",
        "dev.relaycluster.account.AccountEntity$HealthReset",
        "dev.relaycluster.account.AccountEntity$UtilisationSeen",
        "dev.relaycluster.account.AccountEntity$TokensRefreshed"), names(AccountEntity.Event.class));
  }

  @Test
  void aUsageEventIsStillJustItsRecord() throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    UsageRecord usage = new ObjectMapper().readValue("{\"requestId\":\"r-1\",\"keyId\":\"k-1\"}", UsageRecord.class);
    List<String> fields = new java.util.ArrayList<>();
    cbor.readTree(cbor.writeValueAsBytes(new ApiKeyEntity.UsageRecorded(usage))).fieldNames()
        .forEachRemaining(fields::add);
    assertEquals(List.of("usage"), fields, "usage/ reads it through an interface; its stored shape is unchanged");
  }

  @Test
  void aBatchEventIsItsKeyAndItsRecords() throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    UsageRecord usage = new ObjectMapper().readValue("{\"requestId\":\"r-1\",\"keyId\":\"k-1\"}", UsageRecord.class);
    byte[] bytes = cbor.writeValueAsBytes(new ApiKeyEntity.UsageBatchRecorded("k-1", List.of(usage, usage)));
    List<String> fields = new java.util.ArrayList<>();
    cbor.readTree(bytes).fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("keyId", "usage"), fields);
    assertEquals(new ApiKeyEntity.UsageBatchRecorded("k-1", List.of(usage, usage)),
        cbor.readValue(bytes, ApiKeyEntity.UsageBatchRecorded.class));
  }

  /** The concrete events under a sealed event interface, by class name. */
  private static Set<String> names(Class<?> sealed) {
    Set<String> out = new TreeSet<>();
    Stream<Class<?>> permitted = Arrays.stream(sealed.getPermittedSubclasses());
    permitted.forEach(c -> {
      if (c.isSealed()) {
        out.addAll(names(c));
      } else {
        out.add(c.getName());
      }
    });
    return out;
  }
}
