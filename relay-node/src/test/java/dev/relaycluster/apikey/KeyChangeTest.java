package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What admins' changes to a key's definition do, without an actor system. */
class KeyChangeTest {
  private static final ApiKeyState KEY = ApiKeyState.empty("key-1")
      .apply(new ApiKeyEntity.KeyCreated("key-1", "team", "hash", "rk-...abcd", 2, 10L));

  @Test
  void anUnknownKeyCannotBeChanged() {
    ApiKeyState none = ApiKeyState.empty("key-2");
    assertEquals(new KeyChange.Refuse("unknown key"), KeyChange.revoke(none, 1));
    assertEquals(new KeyChange.Refuse("unknown key"), KeyChange.delete(none, 1));
    assertEquals(new KeyChange.Refuse("unknown key"), KeyChange.restore(none, 1));
    assertEquals(new KeyChange.Refuse("unknown key"), KeyChange.update(none, KeySettings.basic("x", 1), -1, 1));
  }

  @Test
  void settingsAreReplacedUnlessTheKeyChangedSinceTheyWereRead() {
    KeySettings renamed = KeySettings.basic("renamed", 2);
    assertEquals(new KeyChange.Write(new ApiKeyEntity.KeyUpdated("key-1", renamed, 5)),
        KeyChange.update(KEY, renamed, KEY.revision(), 5));
    assertEquals(new KeyChange.Refuse(ApiKeyEntity.CHANGED_CONCURRENTLY),
        KeyChange.update(KEY, renamed, KEY.revision() - 1, 5));
    assertEquals(new KeyChange.Unchanged(), KeyChange.update(KEY, KEY.currentSettings(), -1, 5));
  }

  @Test
  void revokingDeletingAndRestoringHappenOnce() {
    assertEquals(new KeyChange.Write(new ApiKeyEntity.KeyRevoked("key-1", 5)), KeyChange.revoke(KEY, 5));
    ApiKeyState revoked = KEY.apply(new ApiKeyEntity.KeyRevoked("key-1", 5));
    assertEquals(new KeyChange.Unchanged(), KeyChange.revoke(revoked, 6));
    assertEquals(new KeyChange.Refuse("a revoked key cannot be restored"), KeyChange.restore(revoked, 6));
    assertEquals(new KeyChange.Unchanged(), KeyChange.restore(KEY, 6), "not deleted");
    ApiKeyState deleted = KEY.apply(new ApiKeyEntity.KeyDeleted("key-1", 7));
    assertEquals(new KeyChange.Unchanged(), KeyChange.delete(deleted, 8));
    assertEquals(new KeyChange.Write(new ApiKeyEntity.KeyRestored("key-1", 8)), KeyChange.restore(deleted, 8));
  }
}
