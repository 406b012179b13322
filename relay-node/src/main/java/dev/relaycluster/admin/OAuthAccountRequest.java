package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.oauth.AuthorizationCode;

/**
 * An exchange-code call of an OAuth add-account flow, validated before the code is spent: the login
 * session, the pasted code (callback URL, {@code code#state} or bare code), and the new account's
 * settings. {@code name} is null when not given (the flow names the account).
 */
record OAuthAccountRequest(String sessionId, AuthorizationCode code, String name, String baseUrl, int priority,
    int maxConcurrency, boolean paused, AccountOptions options) {

  /** @throws AdminInputException when a field is missing or malformed */
  static OAuthAccountRequest parse(JsonNode body, String defaultBaseUrl) {
    String sessionId = AccountFields.required(body, "sessionId");
    AuthorizationCode code;
    try {
      code = AuthorizationCode.parse(AccountFields.text(body, "code", null));
    } catch (IllegalArgumentException e) {
      throw AdminInputException.invalid(e.getMessage());
    }
    return withSettings(sessionId, code, body, defaultBaseUrl);
  }

  /**
   * Only the new account's settings, for a login that came without a session (tokens pasted whole):
   * {@code sessionId} and {@code code} are null.
   *
   * @throws AdminInputException when a field is malformed
   */
  static OAuthAccountRequest settings(JsonNode body, String defaultBaseUrl) {
    return withSettings(null, null, body, defaultBaseUrl);
  }

  private static OAuthAccountRequest withSettings(String sessionId, AuthorizationCode code, JsonNode body,
      String defaultBaseUrl) {
    String name = AccountFields.text(body, "name", null);
    return new OAuthAccountRequest(sessionId, code, name == null || name.isBlank() ? null : name.strip(),
        AccountFields.baseUrl(AccountFields.text(body, "baseUrl", defaultBaseUrl)),
        AccountFields.integer(body, "priority", 50, 0), AccountFields.integer(body, "maxConcurrency", 0, 0),
        AccountFields.paused(body, false), AccountOptions.parse(body));
  }
}
