package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.protocol.oauth.CodexIdToken;
import dev.relaycluster.protocol.oauth.SubscriptionTier;

/**
 * The tokens of a ChatGPT (Codex) account as an admin gives them: the fields {@code accessToken},
 * {@code refreshToken}, {@code idToken}, {@code expiresAt} and {@code chatgptAccountId}, or a Codex CLI
 * {@code auth.json} pasted whole as {@code authJson}. The ChatGPT account id is read from the id token
 * when not given, and the plan ({@code chatgpt_plan_type}) from it as the account's tier.
 */
final class CodexTokenInput {
  private CodexTokenInput() {}

  static AccountSecrets secrets(JsonNode body) {
    JsonNode source = fields(body);
    String access = AccountFields.required(source, "accessToken");
    String refresh = AccountFields.text(source, "refreshToken", null);
    long expiresAt = source.has("expiresAt") ? AccountFields.expiresAt(source.get("expiresAt")) : 0;
    String accountId = AccountFields.text(source, "chatgptAccountId", null);
    CodexIdToken claims = claims(source);
    accountId = accountId != null || claims == null ? accountId : claims.chatgptAccountId();
    if (accountId == null || accountId.isBlank()) {
      throw AdminInputException.invalid("chatgptAccountId: required (or an idToken that names it)");
    }
    return new AccountSecrets(null, access, refresh, expiresAt).withUpstreamAccountId(accountId);
  }

  /** The plan the given id token names, or null when there is none (or none this relay knows). */
  static SubscriptionTier plan(JsonNode body) {
    CodexIdToken claims = claims(fields(body));
    return claims == null ? null : SubscriptionTier.fromChatGptPlan(claims.chatgptPlanType());
  }

  private static CodexIdToken claims(JsonNode source) {
    String idToken = AccountFields.text(source, "idToken", null);
    if (idToken == null || idToken.isBlank()) {
      return null;
    }
    try {
      return CodexIdToken.decode(idToken.strip());
    } catch (IllegalArgumentException e) {
      throw AdminInputException.invalid("idToken: " + e.getMessage());
    }
  }

  /** The token fields, from the body or from the pasted auth.json. */
  private static JsonNode fields(JsonNode body) {
    JsonNode source = body;
    if (body.has("authJson")) {
      JsonNode auth = body.get("authJson");
      if (auth.isTextual()) {
        auth = dev.relaycluster.protocol.util.Json.tryParse(auth.asText()).orElseThrow(() ->
            AdminInputException.invalid("authJson: not JSON (paste the whole ~/.codex/auth.json)"));
      }
      JsonNode tokens = auth.path("tokens");
      if (!tokens.isObject()) {
        throw AdminInputException.invalid("authJson: has no \"tokens\" (log in to Codex with ChatGPT first)");
      }
      com.fasterxml.jackson.databind.node.ObjectNode fields = dev.relaycluster.protocol.util.Json.mapper()
          .createObjectNode();
      // Only what the file has: a field it lacks is absent here too, not a non-string.
      copy(tokens, "access_token", fields, "accessToken");
      copy(tokens, "refresh_token", fields, "refreshToken");
      copy(tokens, "id_token", fields, "idToken");
      copy(tokens, "account_id", fields, "chatgptAccountId");
      source = fields;
    }
    return source;
  }

  private static void copy(JsonNode from, String name, com.fasterxml.jackson.databind.node.ObjectNode to, String as) {
    JsonNode value = from.get(name);
    if (value != null && !value.isNull()) {
      to.set(as, value);
    }
  }
}
