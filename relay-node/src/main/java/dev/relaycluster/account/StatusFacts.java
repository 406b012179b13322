package dev.relaycluster.account;

import dev.relaycluster.upstream.CredentialSettings;
import java.util.Map;

/** What an account's status shows an admin from its opened secrets, none of it a secret. */
final class StatusFacts {
  private StatusFacts() {}

  /** The Google Cloud project of a gemini-oauth account, else (or unknown) null. */
  static String projectOf(AccountState state, AccountSecrets secrets) {
    boolean gemini = state.exists() && state.definition().type() == AccountType.GEMINI_OAUTH;
    return gemini && secrets != null ? secrets.upstreamAccountId() : null;
  }

  /** The account's settings an admin may see (a region, a deployment). */
  static Map<String, String> shownSettings(AccountState state, AccountSecrets secrets) {
    return state.exists() && secrets != null ? CredentialSettings.shown(secrets.settings()) : Map.of();
  }
}
