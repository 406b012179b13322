package dev.relaycluster.node;

import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.KeyEntry;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Rebuilds the key directory and the pool view at start-up by folding the definition events in the
 * journal with the entities' own event handlers. Entities keep both current afterwards.
 */
public final class DirectoryLoader {
  private DirectoryLoader() {}

  public static CompletionStage<Integer> load(ActorSystem<?> system, KeyDirectory keys, PoolView pool) {
    JdbcReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    CompletionStage<List<KeyEntry>> keyEntries = journal
        .currentEventsByTag(ApiKeyEntity.DEFINITION_TAG, Offset.noOffset())
        .runWith(Sink.fold(new HashMap<String, ApiKeyEntity.State>(), DirectoryLoader::foldKey), system)
        .thenApply(states -> states.values().stream().map(ApiKeyEntity.State::toEntry).toList());
    CompletionStage<List<PoolEntry>> poolEntries = journal
        .currentEventsByTag(AccountEntity.DEFINITION_TAG, Offset.noOffset())
        .runWith(Sink.fold(new HashMap<String, AccountEntity.State>(), DirectoryLoader::foldAccount), system)
        .thenApply(states -> states.values().stream()
            .filter(s -> s.definition() != null)
            .map(AccountEntity.State::toEntry)
            .toList());
    return keyEntries.thenCombine(poolEntries, (k, p) -> {
      keys.publishAll(k);
      pool.publishAll(p);
      return k.size() + p.size();
    });
  }

  private static HashMap<String, ApiKeyEntity.State> foldKey(HashMap<String, ApiKeyEntity.State> acc, EventEnvelope env) {
    if (env.event() instanceof ApiKeyEntity.Event event) {
      String id = event.keyId();
      acc.put(id, acc.getOrDefault(id, ApiKeyEntity.State.empty(id)).apply(event));
    }
    return acc;
  }

  private static HashMap<String, AccountEntity.State> foldAccount(
      HashMap<String, AccountEntity.State> acc, EventEnvelope env) {
    if (env.event() instanceof AccountEntity.Event event) {
      String id = event instanceof AccountEntity.AccountCreated c ? c.definition().id()
          : event instanceof AccountEntity.AccountUpdated u ? u.definition().id()
          : event instanceof AccountEntity.AccountDeleted d ? d.accountId()
          : ((AccountEntity.HealthEvent) event).accountId();
      acc.put(id, acc.getOrDefault(id, new AccountEntity.State(id, null, 0, 0)).apply(event));
    }
    return acc;
  }
}
