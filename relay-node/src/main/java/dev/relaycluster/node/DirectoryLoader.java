package dev.relaycluster.node;

import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountState;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.ApiKeyState;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.store.Database;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Rebuilds the key directory and the pool view at start-up by folding the definition events in the
 * journal (read by their tags, see {@link TaggedEvents}) with the entities' own event handlers. Entities
 * keep both current afterwards.
 */
public final class DirectoryLoader {
  private DirectoryLoader() {}

  public static CompletionStage<Integer> load(ActorSystem<?> system, Database database, KeyDirectory keys,
      PoolView pool) {
    CompletionStage<List<KeyEntry>> keyEntries = TaggedEvents.read(system, database, ApiKeyEntity.DEFINITION_TAG)
        .thenApply(events -> {
          HashMap<String, ApiKeyState> states = new HashMap<>();
          events.forEach(e -> foldKey(states, e));
          return states.values().stream().map(ApiKeyState::toEntry).toList();
        });
    CompletionStage<List<PoolEntry>> poolEntries = TaggedEvents.read(system, database, AccountEntity.DEFINITION_TAG)
        .thenApply(events -> {
          HashMap<String, AccountState> states = new HashMap<>();
          events.forEach(e -> foldAccount(states, e));
          return states.values().stream()
              .filter(s -> s.definition() != null)
              .map(AccountState::toEntry)
              .toList();
        });
    return keyEntries.thenCombine(poolEntries, (k, p) -> {
      keys.publishAll(k);
      pool.publishAll(p);
      return k.size() + p.size();
    });
  }

  private static void foldKey(HashMap<String, ApiKeyState> acc, Object e) {
    if (e instanceof ApiKeyEntity.Event event) {
      String id = event.keyId();
      acc.put(id, acc.getOrDefault(id, ApiKeyState.empty(id)).apply(event));
    }
  }

  private static void foldAccount(HashMap<String, AccountState> acc, Object e) {
    if (e instanceof AccountEntity.Event event) {
      String id = event instanceof AccountEntity.AccountCreated c ? c.definition().id()
          : event instanceof AccountEntity.AccountUpdated u ? u.definition().id()
          : event instanceof AccountEntity.AccountDeleted d ? d.accountId()
          : ((AccountEntity.HealthEvent) event).accountId();
      acc.put(id, acc.getOrDefault(id, AccountState.empty(id)).apply(event));
    }
  }
}
