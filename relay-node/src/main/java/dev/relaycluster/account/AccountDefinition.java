package dev.relaycluster.account;

import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import java.util.List;

/**
 * What an admin configured for an account. Credentials (and the proxy URL, which may hold a password)
 * are the sealed blob only; {@code proxy} is the proxy's display form without its password, or null.
 * {@code maxConcurrency} 0 means unlimited. {@code groups} name the account groups that keys can be
 * bound to; {@code priceMultiplier} scales this account's cost in the ledger; {@code tier} is the
 * subscription tier of an OAuth account (UNKNOWN for API keys or when the profile was not readable).
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
    long updatedAt,
    List<String> groups,
    double priceMultiplier,
    SubscriptionTier tier,
    String proxy) implements CborSerializable {

  /** Events written before groups, price multipliers and tiers existed read as none, 1.0 and unknown. */
  public AccountDefinition {
    groups = groups == null ? List.of() : List.copyOf(groups);
    priceMultiplier = priceMultiplier > 0 ? priceMultiplier : 1.0;
    tier = tier == null ? SubscriptionTier.UNKNOWN : tier;
  }

  public AccountDefinition(String id, String name, AccountType type, String baseUrl, int priority, int maxConcurrency,
      boolean paused, byte[] sealedSecrets, long createdAt, long updatedAt) {
    this(id, name, type, baseUrl, priority, maxConcurrency, paused, sealedSecrets, createdAt, updatedAt, List.of(), 1.0,
        SubscriptionTier.UNKNOWN, null);
  }

  public String platform() {
    return type.platform();
  }

  public AccountDefinition withSecrets(byte[] sealed, long at) {
    return new AccountDefinition(id, name, type, baseUrl, priority, maxConcurrency, paused, sealed, createdAt, at,
        groups, priceMultiplier, tier, proxy);
  }

  @Override
  public String toString() {
    return "AccountDefinition[id=" + id + ", name=" + name + ", type=" + type + ", baseUrl=" + baseUrl
        + ", priority=" + priority + ", maxConcurrency=" + maxConcurrency + ", paused=" + paused + ", groups=" + groups
        + ", priceMultiplier=" + priceMultiplier + ", tier=" + tier + ", proxy=" + proxy + "]";
  }
}
