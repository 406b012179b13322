package dev.relaycluster.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * An account's credentials in plain text. Only ever held in memory for one request or one admin call;
 * at rest and in events they are sealed by the {@link CredentialVault}. {@code toString} masks them.
 * {@code proxyUrl} is the account's outbound proxy with its password (null: direct); {@code scopes}
 * are the OAuth scopes granted; {@code upstreamAccountId} is the upstream's own id of the account where
 * requests must name it (ChatGPT's account id), else null. {@code settings} are what a platform needs
 * besides a key or token, by the names in {@link dev.relaycluster.upstream.CredentialSettings} (an AWS
 * secret key and region, an Azure deployment, a WorkOS organisation); sealed with the rest, shown by
 * name only.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountSecrets(String apiKey, String accessToken, String refreshToken, long expiresAt,
    List<String> scopes, String proxyUrl, String upstreamAccountId, Map<String, String> settings) {

  public AccountSecrets {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  public AccountSecrets(String apiKey, String accessToken, String refreshToken, long expiresAt,
      List<String> scopes, String proxyUrl, String upstreamAccountId) {
    this(apiKey, accessToken, refreshToken, expiresAt, scopes, proxyUrl, upstreamAccountId, Map.of());
  }

  public AccountSecrets(String apiKey, String accessToken, String refreshToken, long expiresAt) {
    this(apiKey, accessToken, refreshToken, expiresAt, List.of(), null, null);
  }

  public AccountSecrets(String apiKey, String accessToken, String refreshToken, long expiresAt, List<String> scopes,
      String proxyUrl) {
    this(apiKey, accessToken, refreshToken, expiresAt, scopes, proxyUrl, null);
  }

  public AccountSecrets withTokens(String access, String refresh, long expires, List<String> newScopes) {
    return new AccountSecrets(apiKey, access, refresh, expires, newScopes, proxyUrl, upstreamAccountId, settings);
  }

  public AccountSecrets withUpstreamAccountId(String id) {
    return new AccountSecrets(apiKey, accessToken, refreshToken, expiresAt, scopes, proxyUrl, id, settings);
  }

  public AccountSecrets withProxy(String url) {
    return new AccountSecrets(apiKey, accessToken, refreshToken, expiresAt, scopes, url, upstreamAccountId, settings);
  }

  public AccountSecrets withSettings(Map<String, String> newSettings) {
    return new AccountSecrets(apiKey, accessToken, refreshToken, expiresAt, scopes, proxyUrl, upstreamAccountId,
        newSettings);
  }

  @Override
  public String toString() {
    return "AccountSecrets[apiKey=" + mask(apiKey) + ", accessToken=" + mask(accessToken)
        + ", refreshToken=" + mask(refreshToken) + ", expiresAt=" + expiresAt + ", scopes=" + scopes
        + ", proxyUrl=" + mask(proxyUrl) + (upstreamAccountId == null ? "" : ", upstreamAccountId=" + upstreamAccountId)
        + (settings.isEmpty() ? "" : ", settings=" + new java.util.TreeSet<>(settings.keySet())) + "]";
  }

  static String mask(String s) {
    return s == null || s.isEmpty() ? "-" : "****(" + s.length() + ")";
  }
}
