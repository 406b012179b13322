package dev.relaycluster.account;

/**
 * An account's credentials in plain text. Only ever held in memory for one request or one admin call;
 * at rest and in events they are sealed by the {@link CredentialVault}. {@code toString} masks them.
 */
public record AccountSecrets(String apiKey, String accessToken, String refreshToken, long expiresAt) {

  @Override
  public String toString() {
    return "AccountSecrets[apiKey=" + mask(apiKey) + ", accessToken=" + mask(accessToken)
        + ", refreshToken=" + mask(refreshToken) + ", expiresAt=" + expiresAt + "]";
  }

  static String mask(String s) {
    return s == null || s.isEmpty() ? "-" : "****(" + s.length() + ")";
  }
}
