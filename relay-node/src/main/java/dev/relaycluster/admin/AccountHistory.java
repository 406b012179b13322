package dev.relaycluster.admin;

import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.HealthHistory;
import dev.relaycluster.account.PoolView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;

/**
 * An account's health history (cooldowns, blocks, resets, utilisation bands), read from its own journal when
 * asked: the events are the history, so nothing else records it. Newest first, at most {@link #MAX} entries.
 */
public final class AccountHistory {
  public static final int MAX = 500;

  private final ActorSystem<?> system;
  private final PoolView pool;

  public AccountHistory(ActorSystem<?> system, PoolView pool) {
    this.system = system;
    this.pool = pool;
  }

  public CompletionStage<List<HealthHistory.Entry>> of(String accountId) {
    if (pool.find(accountId).filter(e -> e.status() != AccountStatus.DELETED).isEmpty()) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no account with id " + accountId));
    }
    JdbcReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return journal.currentEventsByPersistenceId(AccountEntity.persistenceId(accountId).id(), 0L, Long.MAX_VALUE)
        .map(env -> HealthHistory.entry(env.event()))
        .filter(java.util.Optional::isPresent)
        .map(java.util.Optional::get)
        .runFold(new ArrayDeque<HealthHistory.Entry>(), (last, e) -> {
          if (last.size() == MAX) {
            last.removeFirst();
          }
          last.addLast(e);
          return last;
        }, system)
        .thenApply(last -> {
          List<HealthHistory.Entry> newestFirst = new ArrayList<>(last);
          java.util.Collections.reverse(newestFirst);
          return newestFirst;
        });
  }
}
