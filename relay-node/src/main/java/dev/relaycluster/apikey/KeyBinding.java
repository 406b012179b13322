package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;

/**
 * A key's dedicated upstream for one pool: a single account ({@code accountId}) or an account group
 * ({@code group}), or neither. {@code fallbackToPool} says whether the key may use the shared pool when
 * none of its dedicated accounts can take a request.
 */
public record KeyBinding(String accountId, String group, boolean fallbackToPool) implements CborSerializable {
  public static final KeyBinding NONE = new KeyBinding(null, null, true);

  public boolean bound() {
    return (accountId != null && !accountId.isBlank()) || (group != null && !group.isBlank());
  }
}
