package dev.relaycluster.apikey;

import dev.relaycluster.apikey.ApiKeyEntity.Event;
import dev.relaycluster.apikey.ApiKeyEntity.KeyDeleted;
import dev.relaycluster.apikey.ApiKeyEntity.KeyRestored;
import dev.relaycluster.apikey.ApiKeyEntity.KeyRevoked;
import dev.relaycluster.apikey.ApiKeyEntity.KeyUpdated;

/**
 * What an admin's change to an existing key's definition does: refused (with the error to answer), nothing
 * (the key is that way already), or one event to write. Pure; the {@link ApiKeyEntity} carries it out and
 * answers with the key's entry.
 */
sealed interface KeyChange {

  record Refuse(String error) implements KeyChange {}

  record Unchanged() implements KeyChange {}

  record Write(Event event) implements KeyChange {}

  /**
   * Replaces the settings, unless the key changed since they were read ({@code expectedRevision} is not
   * the current revision; a negative one skips the check).
   */
  static KeyChange update(ApiKeyState state, KeySettings settings, long expectedRevision, long at) {
    if (!state.exists()) {
      return new Refuse("unknown key");
    }
    if (expectedRevision >= 0 && expectedRevision != state.revision()) {
      return new Refuse(ApiKeyEntity.CHANGED_CONCURRENTLY);
    }
    if (state.currentSettings().equals(settings)) {
      return new Unchanged();
    }
    return new Write(new KeyUpdated(state.keyId(), settings, at));
  }

  static KeyChange revoke(ApiKeyState state, long at) {
    if (!state.exists()) {
      return new Refuse("unknown key");
    }
    return state.revoked() ? new Unchanged() : new Write(new KeyRevoked(state.keyId(), at));
  }

  static KeyChange delete(ApiKeyState state, long at) {
    if (!state.exists()) {
      return new Refuse("unknown key");
    }
    return state.deleted() ? new Unchanged() : new Write(new KeyDeleted(state.keyId(), at));
  }

  static KeyChange restore(ApiKeyState state, long at) {
    if (!state.exists()) {
      return new Refuse("unknown key");
    }
    if (state.revoked()) {
      return new Refuse("a revoked key cannot be restored");
    }
    return state.deleted() ? new Write(new KeyRestored(state.keyId(), at)) : new Unchanged();
  }
}
