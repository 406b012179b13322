package dev.relaycluster.account;

import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.store.CredentialDecryptionException;
import java.util.List;

/**
 * An admin's edit: null fields stay as they are. Sealed secrets replace the old credentials.
 * {@code proxy} is the new proxy display form, "" to remove the proxy; {@code sealedProxy} carries the new
 * proxy URL itself (sealed secrets holding only {@code proxyUrl}, null in them to remove it). The entity
 * merges the proxy into the current secrets, so a proxy edit never reverts tokens refreshed meanwhile.
 * {@code upstreamAccountId} sets the upstream's id of the account (a gemini-oauth account's Google Cloud
 * project; not a secret), "" to clear it; new credentials that name none keep the current one.
 */
public record AccountPatch(
    String name,
    String baseUrl,
    Integer priority,
    Integer maxConcurrency,
    Boolean paused,
    byte[] sealedSecrets,
    long updatedAt,
    List<String> groups,
    Double priceMultiplier,
    SubscriptionTier tier,
    String proxy,
    byte[] sealedProxy,
    String upstreamAccountId) implements CborSerializable {

  public AccountPatch(String name, String baseUrl, Integer priority, Integer maxConcurrency, Boolean paused,
      byte[] sealedSecrets, long updatedAt, List<String> groups, Double priceMultiplier, SubscriptionTier tier,
      String proxy, byte[] sealedProxy) {
    this(name, baseUrl, priority, maxConcurrency, paused, sealedSecrets, updatedAt, groups, priceMultiplier, tier,
        proxy, sealedProxy, null);
  }

  public AccountPatch(String name, String baseUrl, Integer priority, Integer maxConcurrency, Boolean paused,
      byte[] sealedSecrets, long updatedAt) {
    this(name, baseUrl, priority, maxConcurrency, paused, sealedSecrets, updatedAt, null, null, null, null, null, null);
  }

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
        updatedAt,
        groups != null ? groups : d.groups(),
        priceMultiplier != null ? priceMultiplier : d.priceMultiplier(),
        tier != null ? tier : d.tier(),
        proxy == null ? d.proxy() : proxy.isEmpty() ? null : proxy);
  }

  /**
   * Applies the edit to account {@code accountId}'s definition with its credentials merged: new credentials
   * keep the current proxy unless the edit sets one, and a proxy edit changes only the proxy of the current
   * secrets; the upstream account id is the edit's, else the new credentials', else the current one.
   * Without a vault, as {@link #applyTo(AccountDefinition)}. Null when the current secrets cannot be opened.
   */
  public AccountDefinition applyTo(AccountDefinition current, CredentialVault vault, String accountId) {
    AccountDefinition next = applyTo(current);
    if (vault == null || (sealedSecrets == null && sealedProxy == null && upstreamAccountId == null)) {
      return next;
    }
    try {
      AccountSecrets base = vault.open(accountId, next.sealedSecrets());
      String proxyUrl = sealedProxy != null
          ? vault.open(accountId, sealedProxy).proxyUrl()
          : vault.open(accountId, current.sealedSecrets()).proxyUrl();
      String upstreamId = upstreamAccountId != null ? (upstreamAccountId.isBlank() ? null : upstreamAccountId)
          : base.upstreamAccountId() != null || sealedSecrets == null ? base.upstreamAccountId()
          : vault.open(accountId, current.sealedSecrets()).upstreamAccountId();
      return next.withSecrets(vault.seal(accountId, base.withProxy(proxyUrl).withUpstreamAccountId(upstreamId)),
          next.updatedAt());
    } catch (CredentialDecryptionException | IllegalStateException e) {
      return null;
    }
  }
}
