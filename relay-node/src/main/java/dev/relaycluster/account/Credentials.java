package dev.relaycluster.account;

import dev.relaycluster.store.CredentialDecryptionException;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.ProxySpec;

/** Opens an account's sealed secrets into the {@link Credential} its platform calls upstream with. */
public final class Credentials {
  private Credentials() {}

  /**
   * @throws CredentialDecryptionException when this node cannot open the secrets
   * @throws IllegalArgumentException when the account's proxy URL cannot be used
   */
  public static Credential open(CredentialVault vault, AccountDefinition account) {
    AccountSecrets secrets = vault.open(account.id(), account.sealedSecrets());
    ProxySpec proxy = secrets.proxyUrl() == null ? null : ProxySpec.parse(secrets.proxyUrl());
    return new Credential(account.id(), account.type().wireName(), account.baseUrl(), secrets.apiKey(),
        secrets.accessToken(), secrets.upstreamAccountId(), proxy, secrets.settings());
  }
}
