package dev.relaycluster.account;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.alerts.AlertSink;
import dev.relaycluster.config.RelaySettings;

/**
 * What an {@link AccountEntity} needs besides its journal: the pool view it publishes to, the vault
 * that opens and seals its credentials, the token refresher, where its alerts go, the settings, and what
 * reads the quota of the account types that report one.
 */
public record AccountServices(PoolView pool, CredentialVault vault, TokenRefresher refresher, AlertSink alerts,
    RelaySettings.Accounts settings, QuotaFetcher quota) {

  public AccountServices {
    quota = quota == null ? QuotaFetcher.NONE : quota;
  }

  /** Without quota readings. */
  public AccountServices(PoolView pool, CredentialVault vault, TokenRefresher refresher, AlertSink alerts,
      RelaySettings.Accounts settings) {
    this(pool, vault, refresher, alerts, settings, QuotaFetcher.NONE);
  }

  /** Only the pool view: no vault, no refresher, no alerts, default settings (API-key accounts, tests). */
  public static AccountServices poolOnly(PoolView pool) {
    return new AccountServices(pool, null, TokenRefresher.NONE, AlertSink.NONE,
        RelaySettings.Accounts.from(ConfigFactory.load().getConfig("relay.accounts")));
  }
}
