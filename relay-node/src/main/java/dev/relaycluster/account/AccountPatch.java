package dev.relaycluster.account;

import dev.relaycluster.node.CborSerializable;

/** An admin's edit: null fields stay as they are. Sealed secrets replace the old ones whole. */
public record AccountPatch(
    String name,
    String baseUrl,
    Integer priority,
    Integer maxConcurrency,
    Boolean paused,
    byte[] sealedSecrets,
    long updatedAt) implements CborSerializable {

  public AccountDefinition applyTo(AccountDefinition d) {
    return new AccountDefinition(
        d.id(),
        name != null ? name : d.name(),
        d.type(),
        baseUrl != null ? baseUrl : d.baseUrl(),
        priority != null ? priority : d.priority(),
        maxConcurrency != null ? maxConcurrency : d.maxConcurrency(),
        paused != null ? paused : d.paused(),
        sealedSecrets != null ? sealedSecrets : d.sealedSecrets(),
        d.createdAt(),
        updatedAt);
  }
}
