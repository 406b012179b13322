package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reservations of requests in flight and their rate window, and the usage batch, without an actor system. */
class ReservationsTest {
  private static UsageRecord usage(String requestId, long tokens, long cost) {
    return new UsageRecord(requestId, "key-1", "acc-1", "claude", "/v1/messages", "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929", false, tokens, 0, 0, 0, 0, cost, 0, 0, 0, cost, cost, "test", false, 200,
        RequestOutcome.COMPLETED, null, 1_000L, 20L, 10L, 1, null, "test-agent", "unknown", null);
  }

  @Test
  void theSumCountsOpusAndTheCurrentWindowApart() {
    List<Reservation> rs = List.of(new Reservation(100, 10, true, 5), new Reservation(50, 7, false, 5),
        new Reservation(30, 3, false, 1));
    assertEquals(new Reserved(180, 100, 150, 17), Reservations.sum(rs, 5));
    assertEquals(new Reserved(180, 100, 0, 0), Reservations.sum(rs, -1));
  }

  @Test
  void reservationsOfLeasesNoLongerHeldAreGivenBack() {
    Reservations reservations = new Reservations();
    RateWindow window = new RateWindow(5, 60_000, 2, 0, 0);
    reservations.admitted("l1", window, new Reservation(100, 10, false, 5), true);
    reservations.admitted("l2", window, new Reservation(40, 4, false, 5), true);
    reservations.admitted("l3", window, new Reservation(1, 1, false, 5), false);
    assertEquals(new Reserved(140, 0, 140, 14), reservations.reserved(id -> true));
    assertEquals(new Reserved(100, 0, 100, 10), reservations.reserved("l1"::equals));
    assertNull(reservations.release("l2"), "given back already");
    assertEquals(window, reservations.window());
  }

  @Test
  void settledUsageTakesItsReservationsPlaceInTheWindowItWasAdmittedIn() {
    Reservations reservations = new Reservations();
    reservations.admitted("l1", new RateWindow(5, 60_000, 1, 0, 0), new Reservation(100, 10, false, 5), true);
    reservations.settled(reservations.release("l1"), usage("r1", 30, 70));
    assertEquals(new RateWindow(5, 60_000, 1, 30, 70), reservations.window());
    reservations.admitted("l2", new RateWindow(9, 60_000, 1, 0, 0), new Reservation(100, 10, false, 9), true);
    reservations.settled(new Reservation(100, 10, false, 5), usage("r0", 30, 70));
    assertEquals(new RateWindow(9, 60_000, 1, 0, 0), reservations.window(), "admitted in a window gone since");
  }

  @Test
  void aBatchWritesEachRequestOnceAndNothingWrittenBefore() {
    UsageBatch batch = new UsageBatch();
    ApiKeyState state = ApiKeyState.empty("key-1").apply(new ApiKeyEntity.UsageRecorded(usage("old", 1, 1)));
    batch.add(new ApiKeyEntity.Settle("l1", usage("old", 1, 1), null));
    batch.add(new ApiKeyEntity.Settle("l2", usage("new", 5, 9), null));
    batch.add(new ApiKeyEntity.Settle("l2", usage("new", 5, 9), null));
    assertEquals(new UsageBatch.Unwritten(1, 5, 9), batch.unwritten(state));
    UsageBatch.Batch taken = batch.take(state);
    assertEquals(3, taken.settled().size());
    assertEquals(Set.of("old", "new"), taken.requestIds());
    assertEquals(List.of("new"), taken.toWrite().stream().map(UsageRecord::requestId).toList());
    assertNull(batch.take(state), "nothing left");
    batch.written(taken);
    assertEquals(true, batch.recorded(ApiKeyState.empty("key-1"), "new"));
  }

  @Test
  void aFullBatchIsWrittenAtOnceAndALostFlushIsScheduledAgain() {
    UsageBatch batch = new UsageBatch();
    for (int i = 1; i < UsageBatch.MAX; i++) {
      assertEquals(false, batch.add(new ApiKeyEntity.Settle("l" + i, usage("r" + i, 1, 1), null)));
    }
    assertEquals(true, batch.add(new ApiKeyEntity.Settle("last", usage("last", 1, 1), null)));
    assertEquals(true, batch.flushToSchedule(1_000L));
    assertEquals(false, batch.flushToSchedule(2_000L), "one is scheduled");
    assertEquals(true, batch.flushToSchedule(1_000L + 2_000_000_000L), "that one looks lost");
  }

  @Test
  void aBudgetShareCountsItsRequestsAheadAndIsSpentAsItsRequestsSettle() {
    Reservations reservations = new Reservations();
    String share = "budget:n-1:10:100:4:a";
    RateWindow window = new RateWindow(1_000, 60_000, 4, 0, 0);
    reservations.budgetGranted(share, window, new Reservation(10, 100, false, 1_000), 4);
    assertEquals(1, reservations.budgets());
    assertEquals(new Reserved(10, 0, 10, 100), reservations.reserved(id -> true));
    assertEquals(4, reservations.window().requests(), "admission counts the share's requests ahead");
    assertEquals(0, reservations.shownWindow().requests(), "none of them made yet");
    reservations.settled(null, share, usage("on-share", 30, 7));
    assertEquals(new Reserved(3, 0, 3, 70), reservations.reserved(id -> true), "spent: no longer reserved");
    assertEquals(new RateWindow(1_000, 60_000, 4, 30, 7), reservations.window());
    assertEquals(1, reservations.shownWindow().requests(), "the one made on the share");
    reservations.settled(null, null, usage("lease-gone", 5, 1));
    assertEquals(new RateWindow(1_000, 60_000, 4, 30, 7), reservations.window(),
        "a settlement with neither a reservation nor a share counts in no window, as before");
    reservations.settled(null, share, usage("overspent", 0, 50));
    assertEquals(new Reserved(0, 0, 0, 70), reservations.reserved(id -> true), "never below nothing");
    reservations.budgetReturned(share, 2);
    assertEquals(2, reservations.window().requests(), "the two it did not use came back");
    assertEquals(2, reservations.shownWindow().requests());
    assertEquals(0, reservations.budgets());
    assertEquals(Reserved.NONE, reservations.reserved(id -> true));
  }

  @Test
  void sharesComeBackFromTheirIdsAndGoWithTheirHolder() {
    Reservations reservations = new Reservations();
    reservations.restoreBudgets(List.of("req-1", "slot:ab:1", "budget:n-2:500:40:3:o"));
    assertEquals(new Reserved(500, 500, 0, 0), reservations.reserved(id -> true), "what the id names, no window");
    assertEquals(1, reservations.budgets());
    assertEquals(Reserved.NONE, reservations.reserved(id -> false), "its holder's leases were dropped");
    assertEquals(0, reservations.budgets());
  }
}
