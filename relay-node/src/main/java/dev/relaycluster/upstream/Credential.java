package dev.relaycluster.upstream;

import java.util.Map;

/**
 * What a platform needs to call upstream for one account, opened from its sealed secrets by the account
 * package: the account's base URL, its API key or OAuth access token, the upstream's own account id
 * where the platform needs one (ChatGPT's {@code chatgpt-account-id}), and its outbound proxy (null:
 * direct), and the platform's own settings by the names in {@link CredentialSettings}. Only ever held in
 * memory for one request; {@code toString} masks the secrets and names the settings only.
 */
public record Credential(String accountId, String accountType, String baseUrl, String apiKey, String accessToken,
    String upstreamAccountId, ProxySpec proxy, Map<String, String> settings) {

  public Credential {
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  public Credential(String accountId, String accountType, String baseUrl, String apiKey, String accessToken,
      String upstreamAccountId, ProxySpec proxy) {
    this(accountId, accountType, baseUrl, apiKey, accessToken, upstreamAccountId, proxy, Map.of());
  }

  /** The setting {@code name}, or {@code dflt} when the account has none. */
  public String setting(String name, String dflt) {
    String v = settings.get(name);
    return v == null || v.isEmpty() ? dflt : v;
  }

  @Override
  public String toString() {
    return "Credential[accountId=" + accountId + ", accountType=" + accountType + ", baseUrl=" + baseUrl
        + ", apiKey=" + (apiKey == null ? "-" : "****") + ", accessToken=" + (accessToken == null ? "-" : "****")
        + ", upstreamAccountId=" + upstreamAccountId + ", proxy=" + (proxy == null ? "-" : proxy.display())
        + (settings.isEmpty() ? "" : ", settings=" + new java.util.TreeSet<>(settings.keySet())) + "]";
  }
}
