package dev.relaycluster.account;

import dev.relaycluster.node.CborSerializable;

/**
 * What an admin configured for an account. Credentials are the sealed blob only.
 * {@code maxConcurrency} 0 means unlimited.
 */
public record AccountDefinition(
    String id,
    String name,
    AccountType type,
    String baseUrl,
    int priority,
    int maxConcurrency,
    boolean paused,
    byte[] sealedSecrets,
    long createdAt,
    long updatedAt) implements CborSerializable {

  public String platform() {
    return type.platform();
  }

  @Override
  public String toString() {
    return "AccountDefinition[id=" + id + ", name=" + name + ", type=" + type + ", baseUrl=" + baseUrl
        + ", priority=" + priority + ", maxConcurrency=" + maxConcurrency + ", paused=" + paused + "]";
  }
}
