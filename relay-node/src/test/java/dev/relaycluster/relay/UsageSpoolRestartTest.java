package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.store.StorageProfile;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestNode;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A usage record whose key entity cannot be reached is kept in the node's spool, survives a restart of
 * the node, lands exactly once after it, and a copy of it sent again after it landed (a crash before the
 * spool noted it; here also past a snapshot of the key) is not counted twice: the request log and the
 * key's own totals agree.
 */
class UsageSpoolRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  /** Settled straight on the key after the first record landed, so the key writes a snapshot. */
  private static final int FILLERS = 250;
  private static final Map<String, Object> FAST_RETRY =
      Map.of("relay.usage.spool.retry-first", "200ms", "relay.usage.spool.retry-max", "1s");

  @TempDir
  Path dataDir;
  @TempDir
  Path aside;

  @Test
  void aRecordTheEntityCouldNotTakeLandsOnceAfterARestartAndASecondDeliveryIsNotCounted() throws Exception {
    Path spoolDir = dataDir.resolve("usage-spool");
    try (MockAnthropic mock = new MockAnthropic()) {
      String keyId;
      String plainKey;
      String requestId;
      int triesRefused;
      try (TestNode first = TestNode.embedded(dataDir, FAST_RETRY)) {
        first.createConsoleAccount("acc", mock.baseUrl(), "sk-ant-spool", 5);
        JsonNode key = first.createKey("spool-key", 2);
        keyId = key.get("id").asText();
        plainKey = key.get("key").asText();
        AtomicInteger refused = new AtomicInteger();
        UsageRedelivery.get(first.node().system()).deliverWith((k, lease, usage) -> {
          refused.incrementAndGet();
          return CompletableFuture.failedFuture(new TimeoutException("the key's entity is unreachable (test)"));
        });

        HttpResponse<String> answer = call(first, plainKey);
        assertEquals(200, answer.statusCode(), "the client is answered; only its usage waits");
        requestId = answer.headers().firstValue(RelayFlow.REQUEST_ID_HEADER).orElseThrow();

        JsonNode health = await(() -> health(first), h -> h.get("usageBacklog").get("records").asInt() == 1
            && h.get("usageBacklog").get("onDisk").asInt() == 1 && h.get("inFlight").asInt() == 0);
        assertEquals("backlog", health.get("status").asText());
        await(() -> refused.get(), n -> n >= 3); // the settlement's try, then re-sends that failed too
        assertEquals(1, files(spoolDir).size());
        assertTrue(Files.readString(files(spoolDir).get(0)).contains(requestId));
        assertEquals(0, keyUsage(first, keyId).get("requests").asLong(), "nothing landed on the key");
        triesRefused = refused.get();
        // Kept aside to play a crash later: the spool as it was before the record landed.
        Files.copy(files(spoolDir).get(0), aside.resolve(files(spoolDir).get(0).getFileName()));
      }

      long cost;
      StorageProfile storage;
      try (TestNode second = TestNode.embedded(dataDir, FAST_RETRY)) {
        JsonNode rows = second.awaitRequests(keyId, r -> r.size() == 1);
        assertEquals(requestId, rows.get(0).get("requestId").asText(), "the kept record landed after the restart");
        cost = rows.get(0).get("costMicros").asLong();
        assertTrue(cost > 0);
        JsonNode health = await(() -> health(second), h -> h.get("usageBacklog").get("records").asInt() == 0);
        assertEquals("ok", health.get("status").asText());
        assertEquals(List.of(), files(spoolDir), "a spool file whose records all landed is deleted");
        JsonNode usage = keyUsage(second, keyId);
        assertEquals(1, usage.get("requests").asLong());
        assertEquals(cost, usage.get("costMicros").asLong());
        settleFillers(second, keyId);
        assertEquals(1 + FILLERS, keyUsage(second, keyId).get("requests").asLong());
        storage = StorageProfile.from(second.node().settings());
      }
      assertTrue(snapshots(storage, keyId) > 0, "the key wrote a snapshot, so the next start recovers from it");

      // A crash after the record landed but before the spool noted it: the spool still holds it.
      try (Stream<Path> kept = Files.list(aside)) {
        for (Path file : kept.toList()) {
          Files.copy(file, spoolDir.resolve(file.getFileName()));
        }
      }
      try (TestNode third = TestNode.embedded(dataDir, FAST_RETRY)) {
        await(() -> health(third), h -> h.get("usageBacklog").get("records").asInt() == 0);
        assertEquals(List.of(), files(spoolDir), "the second delivery was acknowledged");
        JsonNode usage = keyUsage(third, keyId);
        assertEquals(1 + FILLERS, usage.get("requests").asLong(), "the second delivery was not counted");
        assertEquals(cost + FILLERS, usage.get("costMicros").asLong());

        // One more request: once its row is in the log, a duplicate written before it would be too.
        assertEquals(200, call(third, plainKey).statusCode());
        JsonNode rows = third.awaitRequests(keyId, r -> r.size() == FILLERS + 2);
        long withId = 0;
        long rowCost = 0;
        for (JsonNode row : rows) {
          withId += row.get("requestId").asText().equals(requestId) ? 1 : 0;
          rowCost += row.get("costMicros").asLong();
        }
        assertEquals(1, withId, "one ledger row for the request");
        JsonNode after = keyUsage(third, keyId);
        assertEquals(FILLERS + 2, after.get("requests").asLong());
        assertEquals(rowCost, after.get("costMicros").asLong(), "the key's totals match its ledger");
        dev.relaycluster.reliability.Reliability.write("spool", "Usage kept across restarts (UsageSpoolRestartTest)",
            "One answered request whose usage its key's entity would not take: the node kept the record in its "
            + "spool, re-sent it and restarted twice, the second time with the spool as it was before the record "
            + "landed (a crash between delivery and acknowledgement).\n\n"
            + "| figure | value |\n|---|---|\n"
            + "| deliveries refused before the first restart | " + triesRefused + " |\n"
            + "| node starts | 3 |\n"
            + "| ledger rows for the request | " + withId + " (lost " + (withId == 0 ? 1 : 0) + ", duplicated "
            + Math.max(0, withId - 1) + ") |\n"
            + "| key's request count after the replayed delivery | " + after.get("requests").asLong() + " of "
            + (FILLERS + 2) + " requests made |\n"
            + "| key's cost equals its ledger's | " + (rowCost == after.get("costMicros").asLong()) + " |\n");
      }
    }
  }

  /** Settles usage straight on the key's entity, enough to make it write a snapshot. */
  private static void settleFillers(TestNode node, String keyId) throws Exception {
    ClusterSharding sharding = ClusterSharding.get(node.node().system());
    long now = System.currentTimeMillis();
    for (int i = 0; i < FILLERS; i++) {
      UsageRecord filler = new UsageRecord("filler-" + i, keyId, null, "claude", "/v1/messages", "claude-sonnet-4-5",
          null, false, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, "test", false, 200, RequestOutcome.COMPLETED, null, now, 1,
          -1, 1, null, "filler", "unknown", null);
      // One at a time: settlements waiting together share one event, and the snapshot comes after 200 events.
      sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, keyId)
          .<org.apache.pekko.Done>ask(r -> new ApiKeyEntity.Settle(filler.requestId(), filler, r), Duration.ofSeconds(20))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private static int snapshots(StorageProfile storage, String keyId) throws Exception {
    try (Connection c = DriverManager.getConnection(storage.jdbcUrl(), storage.user(), storage.password());
        PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM \"snapshot\" WHERE \"persistence_id\" = ?")) {
      q.setString(1, ApiKeyEntity.persistenceId(keyId).id());
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  private static HttpResponse<String> call(TestNode node, String key) throws Exception {
    return node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .header("x-api-key", key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode health(TestNode node) throws Exception {
    HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static JsonNode keyUsage(TestNode node, String keyId) throws Exception {
    return node.admin("GET", "/admin/api/keys/" + keyId, null);
  }

  private static List<Path> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".spool")).sorted().toList();
    }
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  /** Polls until the value matches (the spool and the projection work in the background). */
  private static <T> T await(Probe<T> probe, java.util.function.Predicate<T> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never matched; last: " + last);
  }
}
