package dev.relaycluster.cluster;

import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/**
 * How long the entities' journal writes take, from the persist effect to its events being written. The
 * entities sit below the metrics, so they tell this node-wide extension; node/ connects it to the metrics
 * ({@link #reportTo}). Until then, and in tests that do not, nobody is told.
 */
public final class JournalWrites implements Extension {
  /** Told of each write: the entity type ({@code apikey}, {@code account}) and how long it took. */
  @FunctionalInterface
  public interface Listener {
    void written(String entity, long nanos);
  }

  public static final ExtensionId<JournalWrites> ID = new ExtensionId<>() {
    @Override
    public JournalWrites createExtension(ActorSystem<?> system) {
      return new JournalWrites();
    }
  };

  private volatile Listener listener = (entity, nanos) -> {};

  public static JournalWrites get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public void reportTo(Listener listener) {
    this.listener = listener;
  }

  /** Persists {@code events} and, once they are written, tells how long it took under {@code entity}. */
  public <E, S> EffectBuilder<E, S> persist(EffectFactories<E, S> effects, String entity, List<E> events) {
    long started = System.nanoTime();
    return effects.persist(events).thenRun(state -> listener.written(entity, System.nanoTime() - started));
  }

  /** One event: see {@link #persist(EffectFactories, String, List)}. */
  public <E, S> EffectBuilder<E, S> persist(EffectFactories<E, S> effects, String entity, E event) {
    long started = System.nanoTime();
    return effects.persist(event).thenRun(state -> listener.written(entity, System.nanoTime() - started));
  }
}
