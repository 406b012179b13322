package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ChatGPT ("Sign in with ChatGPT", Codex CLI) OAuth wire format: the authorize URL with PKCE S256 and
 * Codex's extra parameters, the token endpoint's form bodies for the authorization-code and refresh-token
 * grants, and how to read a refused refresh. Refresh tokens rotate and are single-use.
 */
public final class CodexOAuth {
  /** The Codex CLI's public OAuth client. */
  public static final String CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
  public static final String AUTHORIZE_ENDPOINT = "https://auth.openai.com/oauth/authorize";
  public static final String TOKEN_ENDPOINT = "https://auth.openai.com/oauth/token";
  /** The only redirect the client accepts; the operator pastes the callback URL back. */
  public static final String REDIRECT_URI = "http://localhost:1455/auth/callback";
  public static final String SCOPES = "openid profile email offline_access";
  public static final String REFRESH_SCOPES = "openid profile email";
  public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

  private static final Set<String> DEAD_LOGIN_CODES = Set.of(
      "refresh_token_reused", "refresh_token_expired", "refresh_token_invalidated", "invalid_grant");

  private CodexOAuth() {}

  /**
   * The URL the operator opens: {@code response_type=code}, client, redirect, scopes, the S256 challenge,
   * {@code id_token_add_organizations=true}, {@code codex_cli_simplified_flow=true} and the state.
   */
  public static String authorizeUrl(String authorizeEndpoint, String clientId, String redirectUri, String scopes,
      String challenge, String state) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", clientId);
    q.put("redirect_uri", redirectUri);
    q.put("scope", scopes);
    q.put("code_challenge", challenge);
    q.put("code_challenge_method", "S256");
    q.put("id_token_add_organizations", "true");
    q.put("codex_cli_simplified_flow", "true");
    q.put("state", state);
    return OAuthForms.url(authorizeEndpoint, q);
  }

  /** The code exchange: {@code grant_type=authorization_code}, code, redirect, client, verifier. */
  public static byte[] authorizationCodeForm(String clientId, String code, String redirectUri, String verifier) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "authorization_code");
    f.put("code", code);
    f.put("redirect_uri", redirectUri);
    f.put("client_id", clientId);
    f.put("code_verifier", verifier);
    return OAuthForms.form(f);
  }

  /** The refresh: {@code grant_type=refresh_token}, client, refresh token, and scope (omitted when null). */
  public static byte[] refreshForm(String clientId, String refreshToken, String scope) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("client_id", clientId);
    f.put("grant_type", "refresh_token");
    f.put("refresh_token", refreshToken);
    if (scope != null) {
      f.put("scope", scope);
    }
    return OAuthForms.form(f);
  }

  /**
   * Whether a refused refresh means the login is dead for good (re-login needed) rather than a passing
   * failure: the error code ({@code error.code}, a string {@code error}, or a top-level {@code code}) is
   * {@code refresh_token_reused}, {@code refresh_token_expired}, {@code refresh_token_invalidated} or
   * {@code invalid_grant}.
   */
  public static boolean refreshRejection(byte[] errorBody) {
    String code = refreshErrorCode(errorBody);
    return code != null && DEAD_LOGIN_CODES.contains(code.toLowerCase(Locale.ROOT));
  }

  /** As {@link #refreshRejection(byte[])}, and also any 401: Codex itself treats a 401 as permanent. */
  public static boolean refreshRejection(int status, byte[] errorBody) {
    return status == 401 || refreshRejection(errorBody);
  }

  /** The error code of a refused refresh, or null when the body names none. */
  public static String refreshErrorCode(byte[] errorBody) {
    JsonNode root = errorBody == null ? null : Json.tryParse(errorBody).orElse(null);
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject() && error.path("code").isTextual()) {
      return error.path("code").textValue();
    }
    if (error != null && error.isTextual()) {
      return error.textValue();
    }
    return Json.text(root, "code");
  }
}
