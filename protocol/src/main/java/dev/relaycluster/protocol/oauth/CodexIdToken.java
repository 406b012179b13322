package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.util.Base64;

/**
 * The claims the relay reads from a ChatGPT id_token (or any OpenAI auth JWT), decoded but not verified
 * (it came over TLS from the token endpoint): from the {@code https://api.openai.com/auth} claim
 * {@code chatgpt_account_id} (sent upstream as {@code chatgpt-account-id}), {@code chatgpt_user_id}
 * (else {@code user_id}) and {@code chatgpt_plan_type}; {@code email} (else
 * {@code https://api.openai.com/profile}.email); {@code exp} in epoch seconds. Missing strings are null,
 * a missing exp is 0.
 */
public record CodexIdToken(String chatgptAccountId, String chatgptUserId, String chatgptPlanType, String email,
    long exp) {

  static final String AUTH_CLAIM = "https://api.openai.com/auth";
  static final String PROFILE_CLAIM = "https://api.openai.com/profile";

  /** @throws IllegalArgumentException when {@code jwt} is not a JWT with a JSON object payload */
  public static CodexIdToken decode(String jwt) {
    JsonNode claims = payload(jwt);
    JsonNode auth = claims.path(AUTH_CLAIM);
    String userId = text(auth, "chatgpt_user_id");
    String email = text(claims, "email");
    return new CodexIdToken(text(auth, "chatgpt_account_id"), userId != null ? userId : text(auth, "user_id"),
        text(auth, "chatgpt_plan_type"), email != null ? email : text(claims.path(PROFILE_CLAIM), "email"),
        claims.path("exp").canConvertToLong() ? claims.path("exp").asLong(0) : 0);
  }

  /** {@code exp} in epoch millis, 0 when absent. */
  public long expiresAtMillis() {
    return exp * 1000;
  }

  /** The decoded payload object of {@code jwt}. The message of a failure never contains the token. */
  static JsonNode payload(String jwt) {
    if (jwt == null || jwt.isBlank()) {
      throw new IllegalArgumentException("token: empty, expected a JWT");
    }
    String[] parts = jwt.strip().split("\\.", -1);
    if (parts.length != 3 || parts[1].isEmpty()) {
      throw new IllegalArgumentException("token: not a JWT (expected three dot-separated parts, got "
          + parts.length + ")");
    }
    byte[] json;
    try {
      String p = parts[1].replace('+', '-').replace('/', '_');
      json = Base64.getUrlDecoder().decode(p.endsWith("=") ? p : p + "=".repeat((4 - p.length() % 4) % 4));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("token: the JWT payload is not base64url");
    }
    JsonNode claims = Json.tryParse(json).orElse(null);
    if (claims == null || !claims.isObject()) {
      throw new IllegalArgumentException("token: the JWT payload is not a JSON object");
    }
    return claims;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
  }
}
