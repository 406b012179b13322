package dev.relaycluster.usage;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the request-log retention: a cluster singleton that deletes expired rows once after start and
 * then every interval. Aggregates and the journal are never deleted.
 */
public final class RequestLogRetention {
  private static final Logger log = LoggerFactory.getLogger(RequestLogRetention.class);

  private enum Tick { INSTANCE }

  private RequestLogRetention() {}

  public static void init(ActorSystem<?> system, LedgerMaintenance maintenance, Duration interval) {
    ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(create(maintenance, interval)).onFailure(SupervisorStrategy.restart()),
        "usage-request-log-retention"));
  }

  static Behavior<Tick> create(LedgerMaintenance maintenance, Duration interval) {
    return Behaviors.withTimers(timers -> {
      Duration first = interval.compareTo(Duration.ofSeconds(10)) < 0 ? interval : Duration.ofSeconds(10);
      timers.startTimerWithFixedDelay(Tick.INSTANCE, first, interval);
      return Behaviors.receiveMessage(tick -> {
        maintenance.deleteExpiredRequests(System.currentTimeMillis()).whenComplete((n, t) -> {
          if (t != null) {
            log.warn("request-log retention failed; trying again in {}: {}", interval, t.toString());
          } else if (n > 0) {
            log.info("request-log retention deleted {} rows", n);
          }
        });
        return Behaviors.same();
      });
    });
  }
}
