package dev.relaycluster.apikey;

import dev.relaycluster.apikey.ApiKeyEntity.Create;
import dev.relaycluster.apikey.ApiKeyEntity.Event;
import dev.relaycluster.apikey.ApiKeyEntity.KeyCreated;
import dev.relaycluster.apikey.ApiKeyEntity.KeyUpdated;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/**
 * The key entity's definition commands: creating the key (idempotent for the same hash) and applying a
 * {@link KeyChange} (update, revoke, delete, restore). Each written change is published to the node's
 * {@link KeyDirectory} and answered with the key's new entry.
 */
final class KeyDefinitionChanges {
  private final String keyId;
  private final KeyDirectory directory;
  private final EffectFactories<Event, ApiKeyState> effects;

  KeyDefinitionChanges(String keyId, KeyDirectory directory, EffectFactories<Event, ApiKeyState> effects) {
    this.keyId = keyId;
    this.directory = directory;
    this.effects = effects;
  }

  /** Creates the key; a key that exists with the same hash answers as created, with another hash is refused. */
  Effect<Event, ApiKeyState> create(ApiKeyState state, Create cmd) {
    if (state.exists()) {
      if (state.keyHash().equals(cmd.keyHash())) {
        return effects.reply(cmd.replyTo(), StatusReply.success(state.toEntry()));
      }
      return effects.reply(cmd.replyTo(), StatusReply.error("key " + keyId + " already exists"));
    }
    KeySettings settings = cmd.settings();
    List<Event> events = new ArrayList<>();
    events.add(new KeyCreated(keyId, settings.name(), cmd.keyHash(), cmd.keyHint(), settings.limits().concurrency(),
        cmd.createdAt(), cmd.legacySalt()));
    if (!settings.equals(KeySettings.basic(settings.name(), settings.limits().concurrency()))) {
      events.add(new KeyUpdated(keyId, settings, cmd.createdAt()));
    }
    return effects
        .persist(events)
        .thenRun(next -> directory.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  /** Writes what {@code change} decided, answers its refusal, or (nothing to change) the key as it is. */
  Effect<Event, ApiKeyState> apply(ApiKeyState state, KeyChange change, ActorRef<StatusReply<KeyEntry>> replyTo) {
    if (change instanceof KeyChange.Refuse r) {
      return effects.reply(replyTo, StatusReply.error(r.error()));
    }
    if (change instanceof KeyChange.Write w) {
      return effects
          .persist(w.event())
          .thenRun(next -> directory.publish(next.toEntry()))
          .thenReply(replyTo, next -> StatusReply.success(next.toEntry()));
    }
    return effects.reply(replyTo, StatusReply.success(state.toEntry()));
  }
}
