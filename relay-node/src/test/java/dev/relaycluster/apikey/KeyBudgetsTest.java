package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.cluster.LeaseBook;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The node's budget shares against a fake entity that grants what it is told to. */
class KeyBudgetsTest {
  private final long[] now = {1_000};
  private final LeaseBook book = new LeaseBook();
  private final FakeEntity entity = new FakeEntity();
  private final KeyBudgets budgets = new KeyBudgets(entity, book, () -> now[0], "node-a");

  /** Grants the next answer queued (refuses when none is), and remembers what came back. */
  private static final class FakeEntity implements KeyBudgets.Entities {
    final List<BudgetGranted> answers = new ArrayList<>();
    final List<String> asked = new ArrayList<>();
    final List<Long> minCosts = new ArrayList<>();
    final Map<String, Long> returned = new LinkedHashMap<>();
    CompletableFuture<BudgetGranted> pending;

    @Override
    public CompletionStage<BudgetGranted> grant(String keyId, String leaseId, long minCostMicros, long minTokens) {
      asked.add(leaseId);
      minCosts.add(minCostMicros);
      if (pending != null) {
        return pending;
      }
      if (answers.isEmpty()) {
        return CompletableFuture.completedFuture(BudgetGranted.refused(leaseId));
      }
      BudgetGranted a = answers.remove(0);
      return CompletableFuture.completedFuture(new BudgetGranted(leaseId, a.granted(), a.costMicros(), a.tokens(),
          a.requests(), a.windowEnd()));
    }

    @Override
    public void giveBack(String keyId, String leaseId, long unusedRequests) {
      returned.put(leaseId, unusedRequests);
    }
  }

  private static KeyEntry key(KeyLimits limits, long revision) {
    KeySettings s = new KeySettings("k", "", List.of(), limits, KeyAccess.ANY, KeyExpiry.NONE, Map.of(), Map.of());
    return new KeyEntry("key-1", "k", "hash", "cr_", limits.concurrency(), KeyStatus.ACTIVE, 1, 0, revision, s, 0, 0);
  }

  private static final KeyEntry DAILY = key(new KeyLimits(0, null, 1_000_000, 0, 0, 1, 0), 1);
  private static final KeyEntry WINDOW = key(new KeyLimits(0, new RateWindowLimit(60, 320, 0, 0), 0, 0, 0, 1, 0), 1);

  private static RequestFacts facts(long cost) {
    return new RequestFacts("claude", "anthropic", "claude-sonnet-4-5", "claude-code", cost, 100);
  }

  private static UsageRecord usage(long cost) {
    return new UsageRecord("r", "key-1", "acc-1", "claude", "/v1/messages", "claude-sonnet-4-5",
        "claude-sonnet-4-5", false, 10, 0, 0, 0, 0, cost, 0, 0, 0, cost, cost, "test", false, 200,
        RequestOutcome.COMPLETED, null, 1_000L, 20L, 10L, 1, null, "test-agent", "unknown", null);
  }

  private static BudgetGranted grants(long cost, long requests, long windowEnd) {
    return new BudgetGranted("", true, cost, -1, requests, windowEnd);
  }

  private KeyBudgets.Ticket acquire(KeyEntry key, long cost) {
    return budgets.acquire(key, facts(cost)).toCompletableFuture().join();
  }

  private List<String> noted() {
    return book.of(ApiKeyEntity.persistenceId("key-1").id());
  }

  @Test
  void requestsAreAdmittedOnAShareUntilItsRoomIsSpent() {
    entity.answers.add(grants(100, -1, 0));
    KeyBudgets.Ticket first = acquire(DAILY, 40);
    assertNotNull(first);
    assertEquals(1, entity.asked.size());
    assertEquals(40L, entity.minCosts.get(0), "at least the request's estimate");
    BudgetLease asked = BudgetLease.parse(entity.asked.get(0));
    assertEquals(160, asked.maxCostMicros(), "for four requests like it");
    assertEquals(List.of(asked.id()), noted(), "noted in the lease book before asking");
    KeyBudgets.Ticket second = acquire(DAILY, 40);
    assertNotNull(second, "room for a second estimate on the same share");
    assertEquals(2, entity.asked.size(), "the share is half taken: the next one is asked for in the background");
    assertEquals(List.of(entity.asked.get(1)), List.copyOf(entity.returned.keySet()), "refused, and given back");
    assertEquals(List.of(asked.id()), noted());
    budgets.end(first, usage(30));
    budgets.recorded(first);
    // 30 spent + 40 held of 100: a request of 40 fits no more, and right after a refusal no ask is made.
    assertNull(acquire(DAILY, 40), "no room: the request asks the entity");
    assertEquals(2, entity.asked.size());
    assertNotNull(acquire(DAILY, 30), "a smaller request still fits");
  }

  @Test
  void theNextShareIsAskedForBeforeThisOneIsSpentAndSizedForTheDemand() {
    KeyEntry window = key(new KeyLimits(0, new RateWindowLimit(60, 32, 0, 0), 0, 0, 0, 1, 0), 1);
    entity.answers.add(grants(-1, 8, now[0] + 60_000));
    assertNotNull(acquire(window, 0));
    assertEquals(2, BudgetLease.parse(entity.asked.get(0)).requests(), "a sixteenth of the window's 32");
    for (int i = 0; i < 2; i++) {
      assertNotNull(budgets.takeNow(window, facts(0)));
    }
    assertEquals(1, entity.asked.size(), "three of eight taken");
    entity.answers.add(grants(-1, 8, now[0] + 60_000));
    assertNotNull(budgets.takeNow(window, facts(0)), "taken without waiting");
    assertEquals(2, entity.asked.size(), "half taken: the next share was asked for");
    assertEquals(8, BudgetLease.parse(entity.asked.get(1)).requests(), "twice the four taken since the last ask");
    for (int i = 0; i < 8; i++) {
      assertNotNull(budgets.takeNow(window, facts(0)), "the two shares' twelve requests left");
    }
    assertEquals(2, budgets.shares("key-1"));
  }

  @Test
  void aShareIsGivenBackOnceItsLifeEndedAndEveryRequestOfItWasRecorded() {
    entity.answers.add(grants(1_000, -1, 0));
    KeyBudgets.Ticket t = acquire(DAILY, 10);
    String id = entity.asked.get(0);
    now[0] += KeyBudgets.LIFE.toMillis();
    budgets.check();
    assertTrue(entity.returned.isEmpty(), "its request is in flight");
    budgets.end(t, usage(5));
    assertTrue(entity.returned.isEmpty(), "its usage is not recorded yet: the share still covers it");
    budgets.recorded(t);
    assertEquals(Map.of(id, 0L), entity.returned);
    assertEquals(List.of(), noted());
    assertEquals(0, budgets.shares("key-1"));
  }

  @Test
  void anIdleShareGoesBackWithTheWindowRequestsItDidNotUse() {
    entity.answers.add(grants(-1, 5, now[0] + 60_000));
    assertEquals(20, BudgetLease.parse(firstAsk(WINDOW)).requests(), "a sixteenth of the window's 320");
    KeyBudgets.Ticket t = budgets.takeNow(WINDOW, facts(0));
    assertNotNull(t);
    budgets.end(t, usage(0));
    budgets.recorded(t);
    now[0] += KeyBudgets.IDLE.toMillis() - 1;
    budgets.check();
    assertTrue(entity.returned.isEmpty());
    now[0] += 1;
    budgets.check();
    assertEquals(Map.of(entity.asked.get(0), 3L), entity.returned, "two of its five requests were used");
  }

  /** The first request's ask; its ticket ended and recorded. */
  private String firstAsk(KeyEntry key) {
    KeyBudgets.Ticket t = acquire(key, 0);
    budgets.end(t, usage(0));
    budgets.recorded(t);
    return entity.asked.get(0);
  }

  @Test
  void aShareWhoseRequestsAreAllTakenGoesBackAtOnce() {
    entity.answers.add(grants(-1, 1, now[0] + 60_000));
    KeyBudgets.Ticket t = acquire(WINDOW, 0);
    assertNull(budgets.takeNow(WINDOW, facts(0)), "its one request is taken");
    budgets.end(t, usage(0));
    budgets.recorded(t);
    assertEquals(0L, entity.returned.get(entity.asked.get(0)), "given back with none unused");
  }

  @Test
  void noShareIsUsedPastItsWindowOrUnderOtherSettings() {
    entity.answers.add(grants(-1, 10, now[0] + 500));
    assertNotNull(acquire(WINDOW, 0));
    now[0] += 500;
    assertNull(budgets.takeNow(WINDOW, facts(0)), "its window ended");
    entity.answers.add(grants(-1, 10, now[0] + 60_000));
    assertNotNull(acquire(WINDOW, 0));
    KeyEntry changed = key(new KeyLimits(0, new RateWindowLimit(60, 320, 0, 0), 0, 0, 0, 1, 0), 2);
    assertNull(budgets.takeNow(changed, facts(0)), "granted under the key's earlier settings");
    KeyEntry unlimited = key(KeyLimits.NONE, 3);
    assertNull(budgets.acquire(unlimited, facts(0)).toCompletableFuture().join());
  }

  @Test
  void requestsThatFindNoRoomWaitForTheAskThatIsOut() {
    entity.pending = new CompletableFuture<>();
    CompletableFuture<KeyBudgets.Ticket> a = budgets.acquire(DAILY, facts(10)).toCompletableFuture();
    CompletableFuture<KeyBudgets.Ticket> b = budgets.acquire(DAILY, facts(10)).toCompletableFuture();
    assertEquals(1, entity.asked.size(), "one ask per key at a time");
    String id = entity.asked.get(0);
    entity.pending.complete(new BudgetGranted(id, true, 40, -1, -1, 0));
    assertNotNull(a.join());
    assertNotNull(b.join(), "both fit the share the ask brought");
  }

  @Test
  void anAskThatFailsIsGivenBackInCaseTheEntityGrantedItLate() {
    entity.pending = new CompletableFuture<>();
    CompletableFuture<KeyBudgets.Ticket> a = budgets.acquire(WINDOW, facts(10)).toCompletableFuture();
    entity.pending.completeExceptionally(new RuntimeException("ask timed out"));
    assertNull(a.join());
    String id = entity.asked.get(0);
    assertEquals(Map.of(id, 20L), entity.returned, "with every request it named");
    assertEquals(List.of(), noted());
    entity.pending = null;
    assertNull(acquire(WINDOW, 10), "no new ask right after a failed one");
    assertEquals(1, entity.asked.size());
    now[0] += NodeBudget.REFUSED_PAUSE_MILLIS;
    entity.answers.add(grants(-1, 20, now[0] + 60_000));
    assertNotNull(acquire(WINDOW, 10));
  }
}
