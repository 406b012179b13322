package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Google OAuth wire format as Gemini CLI's "Login with Google" uses it: the authorize URL (PKCE S256,
 * offline access, consent prompt, the Code Assist scopes), the token endpoint's form bodies for the
 * authorization-code and refresh-token grants, reading its answers, what a refused refresh means, and the
 * {@code oauth_creds.json} Gemini CLI writes. The client id and secret are never here: they come from the
 * node's environment. Google's refresh tokens usually do not rotate: a refresh answer without one keeps
 * the old one.
 */
public final class GoogleOAuth {
  public static final String AUTHORIZE_ENDPOINT = "https://accounts.google.com/o/oauth2/v2/auth";
  public static final String TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token";
  public static final String USERINFO_ENDPOINT = "https://www.googleapis.com/oauth2/v2/userinfo";
  /** The page that shows the code to paste back (Gemini CLI's manual, no-browser login). */
  public static final String REDIRECT_URI = "https://codeassist.google.com/authcode";
  public static final String SCOPES = "https://www.googleapis.com/auth/cloud-platform"
      + " https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile";

  private GoogleOAuth() {}

  /**
   * The URL the operator opens: {@code response_type=code}, client, redirect, scopes,
   * {@code access_type=offline} and {@code prompt=consent} (so a refresh token comes back every time), the
   * S256 challenge and the state.
   */
  public static String authorizeUrl(String authorizeEndpoint, String clientId, String redirectUri, String challenge,
      String state) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", clientId);
    q.put("redirect_uri", redirectUri);
    q.put("scope", SCOPES);
    q.put("access_type", "offline");
    q.put("prompt", "consent");
    q.put("code_challenge", challenge);
    q.put("code_challenge_method", "S256");
    q.put("state", state);
    return OAuthForms.url(authorizeEndpoint, q);
  }

  /** The code exchange: {@code grant_type=authorization_code}, code, redirect, client, secret, verifier. */
  public static byte[] authorizationCodeForm(String clientId, String clientSecret, String code, String redirectUri,
      String verifier) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "authorization_code");
    f.put("code", code);
    f.put("redirect_uri", redirectUri);
    f.put("client_id", clientId);
    f.put("client_secret", clientSecret);
    f.put("code_verifier", verifier);
    return OAuthForms.form(f);
  }

  /** The refresh: {@code grant_type=refresh_token}, client, secret, refresh token. */
  public static byte[] refreshForm(String clientId, String clientSecret, String refreshToken) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "refresh_token");
    f.put("client_id", clientId);
    f.put("client_secret", clientSecret);
    f.put("refresh_token", refreshToken);
    return OAuthForms.form(f);
  }

  /**
   * Reads the token endpoint's answer ({@code access_token}, {@code expires_in} s, {@code refresh_token},
   * {@code scope}, {@code id_token}); without a refresh token in it, {@code previousRefreshToken} is kept.
   * The email is the id_token's {@code email} claim when there is one.
   *
   * @throws IllegalArgumentException when the body is not JSON or has no access_token
   */
  public static OAuthTokens tokens(byte[] body, long nowMillis, String previousRefreshToken) {
    JsonNode n = Json.tryParse(body).orElseThrow(() ->
        new IllegalArgumentException("the token endpoint's answer is not JSON"));
    String access = text(n, "access_token");
    if (access == null) {
      throw new IllegalArgumentException("the token endpoint's answer has no access_token");
    }
    String refresh = text(n, "refresh_token");
    long expiresIn = n.path("expires_in").canConvertToLong() ? n.path("expires_in").asLong(0) : 0;
    return new OAuthTokens(access, refresh != null ? refresh : previousRefreshToken,
        expiresIn > 0 ? nowMillis + expiresIn * 1000 : 0, scopes(text(n, "scope")), null,
        emailOf(text(n, "id_token")), null);
  }

  /**
   * Reads the {@code oauth_creds.json} Gemini CLI writes after "Login with Google"
   * ({@code access_token, refresh_token, expiry_date} in epoch millis, {@code token_type, scope, id_token}).
   *
   * @throws IllegalArgumentException when it is not a JSON object with an access_token
   */
  public static OAuthTokens fromCredsJson(byte[] json) {
    JsonNode n = Json.tryParse(json).filter(JsonNode::isObject).orElseThrow(() ->
        new IllegalArgumentException("oauth_creds.json: not a JSON object (paste the whole ~/.gemini/oauth_creds.json)"));
    String access = text(n, "access_token");
    if (access == null) {
      throw new IllegalArgumentException("oauth_creds.json: no access_token (log in to Gemini CLI with Google first)");
    }
    JsonNode expiry = n.path("expiry_date");
    long expiresAt = expiry.canConvertToLong() ? expiry.asLong(0)
        : expiry.isTextual() && expiry.asText().matches("\\d{1,19}") ? Long.parseLong(expiry.asText()) : 0;
    return new OAuthTokens(access, text(n, "refresh_token"), Math.max(0, expiresAt), scopes(text(n, "scope")), null,
        emailOf(text(n, "id_token")), null);
  }

  /** The {@code email} claim of an id_token (decoded, not verified), or null when there is none. */
  public static String emailOf(String idToken) {
    if (idToken == null) {
      return null;
    }
    try {
      return text(CodexIdToken.payload(idToken), "email");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The {@code email} of a userinfo answer ({@code /oauth2/v2/userinfo}), or null. */
  public static String emailOfUserinfo(byte[] body) {
    return body == null ? null : Json.tryParse(body).map(n -> text(n, "email")).orElse(null);
  }

  /**
   * Whether a refused refresh means the login is dead for good: Google says {@code invalid_grant} (the
   * refresh token expired, was revoked, or the password changed). A wrong client ({@code invalid_client})
   * is the node's configuration, not the account's login.
   */
  public static boolean refreshRejection(byte[] errorBody) {
    return "invalid_grant".equals(errorCode(errorBody));
  }

  /** The error code of a refused grant ({@code error} as a string, or {@code error.status}), lower case; else null. */
  public static String errorCode(byte[] errorBody) {
    JsonNode root = errorBody == null ? null : Json.tryParse(errorBody).orElse(null);
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    String code = error == null ? null : error.isTextual() ? error.textValue() : text(error, "status");
    return code == null ? null : code.toLowerCase(Locale.ROOT);
  }

  private static List<String> scopes(String scope) {
    return scope == null ? List.of()
        : Arrays.stream(scope.split("\\s+")).filter(s -> !s.isBlank()).toList();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isTextual() && !v.textValue().isBlank() ? v.textValue().strip() : null;
  }
}
