package dev.relaycluster.upstream;

/**
 * What a platform needs to call upstream for one account, opened from its sealed secrets by the account
 * package: the account's base URL, its API key or OAuth access token, the upstream's own account id
 * where the platform needs one (ChatGPT's {@code chatgpt-account-id}), and its outbound proxy (null:
 * direct). Only ever held in memory for one request; {@code toString} masks the secrets.
 */
public record Credential(String accountId, String accountType, String baseUrl, String apiKey, String accessToken,
    String upstreamAccountId, ProxySpec proxy) {

  @Override
  public String toString() {
    return "Credential[accountId=" + accountId + ", accountType=" + accountType + ", baseUrl=" + baseUrl
        + ", apiKey=" + (apiKey == null ? "-" : "****") + ", accessToken=" + (accessToken == null ? "-" : "****")
        + ", upstreamAccountId=" + upstreamAccountId + ", proxy=" + (proxy == null ? "-" : proxy.display()) + "]";
  }
}
