package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;

/**
 * A ChatGPT (Codex) login's tokens: from the token endpoint's answer ({@code id_token},
 * {@code access_token}, {@code refresh_token}, {@code expires_in}) or from a Codex CLI {@code auth.json}
 * ({@code {"OPENAI_API_KEY":null,"tokens":{"id_token","access_token","refresh_token","account_id"},
 * "last_refresh":"…"}}). {@code expiresAt} is epoch millis (0 unknown); {@code accountId} is the
 * {@code chatgpt-account-id} to send (from auth.json, else the id_token's claim; null when neither has it).
 * Refresh answers may omit the id_token or the refresh token: {@link #orElse} fills them from the login
 * being refreshed. {@link OAuthTokens} does not fit here: it has no id_token and reads Claude's account
 * fields.
 */
public record CodexTokens(String idToken, String accessToken, String refreshToken, long expiresAt,
    String accountId) {

  /**
   * Reads a token endpoint answer; {@code expiresAt} = now + {@code expires_in} s, else the access
   * token's JWT {@code exp}, else 0.
   *
   * @throws IllegalArgumentException when the body is not JSON or has no access_token
   */
  public static CodexTokens parse(byte[] body, long nowMillis) {
    JsonNode n = Json.tryParse(body).orElseThrow(() ->
        new IllegalArgumentException("the token endpoint's answer is not JSON"));
    String access = text(n, "access_token");
    if (access == null) {
      throw new IllegalArgumentException("the token endpoint's answer has no access_token");
    }
    long expiresIn = n.path("expires_in").canConvertToLong() ? n.path("expires_in").asLong(0) : 0;
    String idToken = text(n, "id_token");
    return new CodexTokens(idToken, access, text(n, "refresh_token"),
        expiresIn > 0 ? nowMillis + expiresIn * 1000 : jwtExpiryMillis(access), claimedAccountId(idToken));
  }

  /**
   * Reads a Codex CLI {@code auth.json}; {@code expiresAt} is the access token's JWT {@code exp}.
   *
   * @throws IllegalArgumentException when it is not JSON or has no {@code tokens.access_token}
   */
  public static CodexTokens fromAuthJson(byte[] authJson) {
    JsonNode n = Json.tryParse(authJson).orElseThrow(() ->
        new IllegalArgumentException("auth.json: not JSON"));
    JsonNode tokens = n.path("tokens");
    String access = text(tokens, "access_token");
    if (access == null) {
      throw new IllegalArgumentException("auth.json: no tokens.access_token (an API-key login has no ChatGPT"
          + " tokens)");
    }
    String idToken = text(tokens, "id_token");
    String accountId = text(tokens, "account_id");
    return new CodexTokens(idToken, access, text(tokens, "refresh_token"), jwtExpiryMillis(access),
        accountId != null ? accountId : claimedAccountId(idToken));
  }

  /** These tokens with any missing id_token, refresh token or account id taken from {@code previous}. */
  public CodexTokens orElse(CodexTokens previous) {
    if (previous == null) {
      return this;
    }
    return new CodexTokens(idToken != null ? idToken : previous.idToken, accessToken,
        refreshToken != null ? refreshToken : previous.refreshToken, expiresAt,
        accountId != null ? accountId : previous.accountId);
  }

  /** The id_token's claims, or null when there is no id_token or it cannot be decoded. */
  public CodexIdToken idClaims() {
    if (idToken == null) {
      return null;
    }
    try {
      return CodexIdToken.decode(idToken);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String claimedAccountId(String idToken) {
    if (idToken == null) {
      return null;
    }
    try {
      return CodexIdToken.decode(idToken).chatgptAccountId();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The {@code exp} of a JWT in epoch millis, 0 when the token is opaque or has none. */
  private static long jwtExpiryMillis(String token) {
    try {
      JsonNode exp = CodexIdToken.payload(token).path("exp");
      return exp.canConvertToLong() ? exp.asLong(0) * 1000 : 0;
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
  }

  @Override
  public String toString() {
    return "CodexTokens[idToken=" + (idToken == null ? "-" : "****") + ", accessToken=****, refreshToken="
        + (refreshToken == null ? "-" : "****") + ", expiresAt=" + expiresAt + ", accountId=" + accountId + "]";
  }
}
