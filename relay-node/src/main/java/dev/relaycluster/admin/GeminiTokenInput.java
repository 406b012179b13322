package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.protocol.oauth.GoogleOAuth;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The tokens of a Google login (gemini-oauth account) as an admin gives them: the fields
 * {@code accessToken}, {@code refreshToken} and {@code expiresAt}, or Gemini CLI's
 * {@code ~/.gemini/oauth_creds.json} pasted whole as {@code credsJson} (a JSON object or its text); and the
 * optional {@code projectId}, the Google Cloud project to name instead of the one Code Assist would find.
 * Google access tokens last an hour, so the refresh token is required.
 */
final class GeminiTokenInput {
  /** A project id, as Google forms them (optionally {@code domain:} prefixed), not a project number. */
  private static final Pattern PROJECT_ID = Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{2,62}");

  /** The login read from an admin's body: its secrets (the project as upstream account id, when given) and email. */
  record Login(AccountSecrets secrets, String email) {}

  private GeminiTokenInput() {}

  static Login read(JsonNode body) {
    String project = projectId(body);
    if (body.has("credsJson") && !body.get("credsJson").isNull()) {
      OAuthTokens tokens = creds(body.get("credsJson"));
      if (tokens.refreshToken() == null) {
        throw AdminInputException.invalid("credsJson: has no refresh_token (log in to Gemini CLI with Google again)");
      }
      return new Login(new AccountSecrets(null, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt(),
          tokens.scopes(), null, project), tokens.email());
    }
    String access = AccountFields.required(body, "accessToken");
    String refresh = AccountFields.text(body, "refreshToken", null);
    if (refresh == null || refresh.isBlank()) {
      throw AdminInputException.invalid("refreshToken: required (Google access tokens last an hour), or paste"
          + " oauth_creds.json as credsJson");
    }
    long expiresAt = body.has("expiresAt") ? AccountFields.expiresAt(body.get("expiresAt")) : 0;
    return new Login(new AccountSecrets(null, access, refresh.strip(), expiresAt, null, null, project), null);
  }

  /** The {@code projectId} of the body, null when absent or empty. */
  static String projectId(JsonNode body) {
    String project = AccountFields.text(body, "projectId", null);
    if (project == null || project.isBlank()) {
      return null;
    }
    project = project.strip();
    if (project.chars().allMatch(Character::isDigit)) {
      throw AdminInputException.invalid("projectId: give the project's id (e.g. my-project-123), not its number");
    }
    if (!PROJECT_ID.matcher(project).matches()) {
      throw AdminInputException.invalid("projectId: not a Google Cloud project id (lower-case letters, digits and"
          + " hyphens, starting with a letter)");
    }
    return project;
  }

  private static OAuthTokens creds(JsonNode creds) {
    byte[] json = creds.isTextual() ? creds.asText().getBytes(StandardCharsets.UTF_8)
        : creds.isObject() ? creds.toString().getBytes(StandardCharsets.UTF_8) : null;
    if (json == null) {
      throw AdminInputException.invalid("credsJson: the contents of ~/.gemini/oauth_creds.json, as an object or text");
    }
    try {
      return GoogleOAuth.fromCredsJson(json);
    } catch (IllegalArgumentException e) {
      throw AdminInputException.invalid("credsJson: " + e.getMessage().replaceFirst("^oauth_creds\\.json: ", ""));
    }
  }
}
