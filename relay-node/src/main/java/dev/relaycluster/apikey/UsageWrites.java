package dev.relaycluster.apikey;

import dev.relaycluster.apikey.ApiKeyEntity.Command;
import dev.relaycluster.apikey.ApiKeyEntity.Event;
import dev.relaycluster.apikey.ApiKeyEntity.ImportUsage;
import dev.relaycluster.apikey.ApiKeyEntity.Release;
import dev.relaycluster.apikey.ApiKeyEntity.Settle;
import dev.relaycluster.apikey.ApiKeyEntity.UsageBatchRecorded;
import dev.relaycluster.apikey.ApiKeyEntity.UsageRecorded;
import dev.relaycluster.cluster.JournalWrites;
import dev.relaycluster.cluster.LeaseKeeper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/**
 * The key entity's usage writes: a settlement releases its lease and reservation and is queued in the
 * {@link UsageBatch}, written a moment later or as soon as the batch is full (each batch's journal write
 * timed as {@code apikey}); imported history is written as it is, once per request id.
 */
final class UsageWrites {
  static final String ENTITY = "apikey";

  private final ActorContext<Command> context;
  private final EffectFactories<Event, ApiKeyState> effects;
  private final JournalWrites journal;
  private final LeaseKeeper<Command> leases;
  private final Reservations reservations;
  private final UsageBatch usageBatch;
  private final Supplier<Command> flush;

  /** {@code flush}: the command the entity answers with {@link #flush}, sent when the batch's window ends. */
  UsageWrites(ActorContext<Command> context, EffectFactories<Event, ApiKeyState> effects, LeaseKeeper<Command> leases,
      Reservations reservations, UsageBatch usageBatch, Supplier<Command> flush) {
    this.context = context;
    this.effects = effects;
    this.journal = JournalWrites.get(context.getSystem());
    this.leases = leases;
    this.reservations = reservations;
    this.usageBatch = usageBatch;
    this.flush = flush;
  }

  /**
   * Releases the lease and its reservation at once (the real usage takes the reservation's place in the
   * rate window and, once written, in the cost totals) and queues the usage.
   */
  Effect<Event, ApiKeyState> settle(ApiKeyState state, Settle cmd) {
    leases.release(cmd.leaseId());
    Reservation reservation = reservations.release(cmd.leaseId());
    if (cmd.usage() == null || usageBatch.recorded(state, cmd.usage().requestId())) {
      SettleAnswers.answer(cmd);
      return effects.none();
    }
    reservations.settled(reservation, BudgetLease.shareOf(cmd.leaseId()), cmd.usage());
    if (usageBatch.add(cmd)) {
      return flush(state);
    }
    if (usageBatch.flushToSchedule(System.nanoTime())) {
      context.scheduleOnce(UsageBatch.WINDOW, context.getSelf(), flush.get());
    }
    return effects.none();
  }

  /** A lease given back without usage (the request gave up, or its usage goes to the spool). */
  Effect<Event, ApiKeyState> release(ApiKeyState state, Release cmd) {
    leases.release(cmd.leaseId());
    reservations.release(cmd.leaseId());
    return effects.none();
  }

  Effect<Event, ApiKeyState> importUsage(ApiKeyState state, ImportUsage cmd) {
    if (!state.exists()) {
      return effects.reply(cmd.replyTo(), 0);
    }
    Set<String> seen = new HashSet<>();
    List<Event> events = cmd.usage().stream()
        .filter(u -> !state.recorded(u.requestId()) && seen.add(u.requestId()))
        .<Event>map(UsageRecorded::new)
        .toList();
    if (events.isEmpty()) {
      return effects.reply(cmd.replyTo(), 0);
    }
    return effects.persist(events).thenReply(cmd.replyTo(), next -> events.size());
  }

  /** Writes the usage queued so far, then answers the settlements it holds. */
  Effect<Event, ApiKeyState> flush(ApiKeyState state) {
    UsageBatch.Batch batch = usageBatch.take(state);
    if (batch == null) {
      return effects.none();
    }
    if (batch.toWrite().isEmpty()) {
      answer(batch);
      return effects.none();
    }
    Event event = new UsageBatchRecorded(state.keyId(), batch.toWrite());
    return journal.persist(effects, ENTITY, event).thenRun(next -> answer(batch));
  }

  /** The batch's usage is in the journal: its ids are remembered and its settlements answered. */
  private void answer(UsageBatch.Batch batch) {
    usageBatch.written(batch);
    SettleAnswers.answer(batch.settled());
  }
}
