package dev.relaycluster.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LeaseHolderTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("LeaseHolderTest", ConfigFactory.parseString("pekko.actor.provider = local"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void reportsTheLeasesItStillHoldsPerEntityAndRegistersItself() {
    LeaseBook book = new LeaseBook();
    ActorRef<LeaseHolder.Command> holder = testKit.spawn(LeaseHolder.create(book));
    book.held("ApiKey|k1", "l1");
    book.held("ApiKey|k1", "l2");
    book.held("Account|a1", "l3");
    book.released("ApiKey|k1", "l1");
    book.released("ApiKey|k1", "never-held");
    TestProbe<LeaseHolder.HeldLeases> probe = testKit.createTestProbe();
    holder.tell(new LeaseHolder.Report("ApiKey|k1", probe.getRef()));
    LeaseHolder.HeldLeases report = probe.receiveMessage();
    assertEquals(List.of("l2"), report.leaseIds());
    assertEquals(holder, report.holder());
    holder.tell(new LeaseHolder.Report("ApiKey|unknown", probe.getRef()));
    assertEquals(List.of(), probe.receiveMessage().leaseIds());

    TestProbe<Receptionist.Listing> listing = testKit.createTestProbe();
    listing.awaitAssert(() -> {
      testKit.system().receptionist().tell(Receptionist.find(LeaseHolder.SERVICE_KEY, listing.getRef()));
      Set<ActorRef<LeaseHolder.Command>> found = listing.receiveMessage().getServiceInstances(LeaseHolder.SERVICE_KEY);
      assertTrue(found.contains(holder), "entities find the holder through the receptionist: " + found);
      return null;
    });
  }
}
