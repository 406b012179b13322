package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Claude OAuth wire format as Claude Code's own login uses it: the authorize URL, and the JSON
 * bodies of the token endpoint's authorization-code and refresh-token grants.
 */
public final class ClaudeOAuth {
  /** The scopes of a normal login (profile, inference, Claude Code sessions). */
  public static final String LOGIN_SCOPES =
      "org:create_api_key user:profile user:inference user:sessions:claude_code user:mcp_servers user:file_upload";
  /** The long-lived setup token: inference only, no refresh token. */
  public static final String SETUP_TOKEN_SCOPES = "user:inference";
  /** A setup token is asked for with this lifetime (one year). */
  public static final long SETUP_TOKEN_SECONDS = 31_536_000L;

  private ClaudeOAuth() {}

  public static String authorizeUrl(String authorizeEndpoint, String clientId, String redirectUri, String scopes,
      Pkce pkce) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("code", "true");
    q.put("client_id", clientId);
    q.put("response_type", "code");
    q.put("redirect_uri", redirectUri);
    q.put("scope", scopes);
    q.put("code_challenge", pkce.challenge());
    q.put("code_challenge_method", "S256");
    q.put("state", pkce.state());
    return OAuthForms.url(authorizeEndpoint, q);
  }

  public static byte[] authorizationCodeBody(String clientId, String code, String redirectUri, String verifier,
      String state, boolean setupToken) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("grant_type", "authorization_code");
    n.put("client_id", clientId);
    n.put("code", code);
    n.put("redirect_uri", redirectUri);
    n.put("code_verifier", verifier);
    n.put("state", state);
    if (setupToken) {
      n.put("expires_in", SETUP_TOKEN_SECONDS);
    }
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] refreshBody(String clientId, String refreshToken) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("grant_type", "refresh_token");
    n.put("refresh_token", refreshToken);
    n.put("client_id", clientId);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }
}
