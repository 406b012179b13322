package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.util.Arrays;
import java.util.List;

/**
 * A token endpoint's answer: {@code access_token}, {@code refresh_token} (absent for setup tokens),
 * {@code expires_in} seconds turned into {@code expiresAt} epoch millis, space-separated
 * {@code scope}, and the account/organisation it belongs to when sent; {@code planType} the
 * subscription plan the login names (a ChatGPT id token's {@code chatgpt_plan_type}), or null.
 */
public record OAuthTokens(String accessToken, String refreshToken, long expiresAt, List<String> scopes,
    String accountUuid, String email, String organizationUuid, String planType) {

  public OAuthTokens(String accessToken, String refreshToken, long expiresAt, List<String> scopes,
      String accountUuid, String email, String organizationUuid) {
    this(accessToken, refreshToken, expiresAt, scopes, accountUuid, email, organizationUuid, null);
  }

  /** @throws IllegalArgumentException when the body is not a token answer */
  public static OAuthTokens parse(byte[] body, long nowMillis) {
    JsonNode n = Json.tryParse(body).orElseThrow(() ->
        new IllegalArgumentException("the token endpoint's answer is not JSON"));
    String access = n.path("access_token").asText("");
    if (access.isBlank()) {
      throw new IllegalArgumentException("the token endpoint's answer has no access_token");
    }
    String refresh = n.path("refresh_token").isTextual() && !n.path("refresh_token").asText().isBlank()
        ? n.path("refresh_token").asText() : null;
    long expiresIn = n.path("expires_in").asLong(0);
    List<String> scopes = n.path("scope").isTextual()
        ? Arrays.stream(n.path("scope").asText().split("\\s+")).filter(s -> !s.isBlank()).toList()
        : List.of();
    return new OAuthTokens(access, refresh, expiresIn > 0 ? nowMillis + expiresIn * 1000 : 0, scopes,
        text(n.path("account").path("uuid")), text(n.path("account").path("email_address")),
        text(n.path("organization").path("uuid")));
  }

  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }

  @Override
  public String toString() {
    return "OAuthTokens[accessToken=****, refreshToken=" + (refreshToken == null ? "-" : "****") + ", expiresAt="
        + expiresAt + ", scopes=" + scopes + "]";
  }
}
