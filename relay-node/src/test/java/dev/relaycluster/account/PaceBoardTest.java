package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.config.PaceSettings;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The board over a real replicated view, on a one-node cluster-provider system. */
class PaceBoardTest {
  private static final PaceSettings SETTINGS =
      new PaceSettings(Duration.ofMillis(500), 0.5, 3, Duration.ofMinutes(5), Duration.ofHours(1));
  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("PaceBoardTest", ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = 127.0.0.1
            pekko.remote.artery.canonical.port = 0
            """).withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static ReplicatedView<AccountPace> view() {
    return ReplicatedView.start(testKit.system(), "pace-" + UUID.randomUUID());
  }

  @Test
  void thisNodesSlowAnswersMakeAnAccountLagOnceThereAreEnough() {
    PaceBoard board = new PaceBoard(SETTINGS, "n1", view());
    board.record("a", false, 2_000);
    board.record("a", false, 2_000);
    assertFalse(board.lagging("a", System.currentTimeMillis()), "two attempts are too few");
    board.record("a", false, 2_000);
    assertTrue(board.lagging("a", System.currentTimeMillis()),
        "the verdict changed, so the figures were shared at once despite the hour-long interval");
    assertFalse(board.lagging("b", System.currentTimeMillis()), "an account nobody measured does not lag");
  }

  @Test
  void anotherNodesFiguresCountHere() {
    ReplicatedView<AccountPace> view = view();
    PaceBoard board = new PaceBoard(SETTINGS, "n1", view);
    long now = System.currentTimeMillis();
    board.record("a", false, 100);
    assertFalse(board.lagging("a", now));
    view.publish(new AccountPace(AccountPace.idOf("a", "n2"), "a", "n2", now, -1, 1, 20, now));
    assertTrue(board.lagging("a", now), "n2 saw 20 failures");
    assertEquals(21, board.summary("a", now).samples());
  }

  @Test
  void anOffBoardNeverLagsAndRecordsNothing() {
    PaceBoard board = PaceBoard.off();
    for (int i = 0; i < 20; i++) {
      board.record("a", true, -1);
    }
    assertFalse(board.lagging("a", System.currentTimeMillis()));
    assertEquals(PaceSummary.NONE, board.summary("a", System.currentTimeMillis()));
  }
}
