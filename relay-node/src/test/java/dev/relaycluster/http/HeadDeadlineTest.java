package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadDeadlineTest {
  private static final long S = 1_000_000_000L;

  @Test
  void theFirstWaitArmsTheTimerAndALateHeadCloses() {
    HeadDeadline d = new HeadDeadline();
    assertEquals(10 * S, d.await(0, 10 * S));
    assertEquals(HeadDeadline.CLOSE, d.fired(10 * S));
  }

  @Test
  void aKeptAliveConnectionArmsOneTimerForManyRequests() {
    HeadDeadline d = new HeadDeadline();
    assertEquals(60 * S, d.await(0, 60 * S));
    d.arrived();
    // A thousand more answers within the minute: each moves the deadline, none arms a timer.
    for (int i = 1; i <= 1000; i++) {
      assertEquals(HeadDeadline.NONE, d.await(i * S / 100, 60 * S));
      d.arrived();
    }
    // The one timer fires with no head awaited (a request is in the routes): nothing to do.
    assertEquals(HeadDeadline.NONE, d.fired(60 * S));
    // The next wait arms it again.
    assertEquals(60 * S, d.await(61 * S, 60 * S));
  }

  @Test
  void aTimerThatFiresBeforeTheMovedDeadlineArmsItselfForTheRest() {
    HeadDeadline d = new HeadDeadline();
    d.await(0, 60 * S);
    d.arrived();
    d.await(25 * S, 60 * S); // due at 85 s
    assertEquals(25 * S, d.fired(60 * S));
    assertEquals(HeadDeadline.CLOSE, d.fired(85 * S));
  }

  @Test
  void aShorterKeepAliveThanHeaderTimeoutReplacesTheLaterTimer() {
    HeadDeadline d = new HeadDeadline();
    assertEquals(10 * S, d.await(0, 10 * S)); // the header timeout, from the connection's start
    d.arrived();
    // The answer ends at 1 s; keep-alive 2 s is due at 3 s, before the timer out (10 s): arm for it.
    assertEquals(2 * S, d.await(S, 2 * S));
    assertEquals(HeadDeadline.CLOSE, d.fired(3 * S));
  }

  @Test
  void aTimerCancelledWithTheInputIsArmedAgainOnTheNextWait() {
    HeadDeadline d = new HeadDeadline();
    d.await(0, 10 * S);
    d.disarmed();
    assertEquals(10 * S, d.await(S, 10 * S));
  }

  /**
   * Against a model that arms a timer for every wait (as the guard did): whatever the order of waits, heads and
   * firings, the connection closes exactly when the model's would, and a head awaited always has a timer out
   * that fires no later than it is due.
   */
  @Test
  void closesWhenATimerPerWaitWouldHave() {
    Random random = new Random(7);
    for (int run = 0; run < 2000; run++) {
      HeadDeadline d = new HeadDeadline();
      long now = 0;
      long modelDue = -1; // the per-wait model: due time of the awaited head, -1 when none is awaited
      long timerAt = -1; // when this one's timer fires, -1 when none is out
      for (int step = 0; step < 40; step++) {
        now += random.nextInt(3) * S / 2;
        int what = random.nextInt(3);
        if (what == 0 && modelDue < 0) {
          long timeout = (1 + random.nextInt(4)) * S;
          modelDue = now + timeout;
          long delay = d.await(now, timeout);
          if (delay >= 0) {
            timerAt = now + delay;
          }
        } else if (what == 1 && modelDue >= 0 && now < modelDue) {
          modelDue = -1;
          d.arrived();
        }
        if (modelDue >= 0) {
          assertEquals(true, timerAt >= 0 && timerAt <= modelDue, "a timer fires by the deadline");
        }
        // Fire the timer if it is due by now (in order: the model closes at its deadline).
        while (timerAt >= 0 && timerAt <= now) {
          long at = timerAt;
          timerAt = -1;
          long next = d.fired(at);
          boolean modelCloses = modelDue >= 0 && modelDue <= at;
          assertEquals(modelCloses, next == HeadDeadline.CLOSE, "run " + run + " step " + step);
          if (modelCloses) {
            break;
          }
          if (next >= 0) {
            timerAt = at + next;
          }
        }
        if (modelDue >= 0 && modelDue <= now) {
          break;
        }
      }
    }
  }
}
