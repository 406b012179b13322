package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.ratelimit.ModelFamily;
import dev.relaycluster.protocol.util.Json;
import java.util.Locale;

/**
 * An OAuth account's subscription tier: a Claude subscription's from the OAuth profile
 * ({@code GET /api/oauth/profile}), a ChatGPT (Codex) login's plan from its id token's
 * {@code chatgpt_plan_type} (free, plus, pro, team, business, enterprise, edu). UNKNOWN is an account whose
 * profile could not be read (setup tokens lack the profile scope) or an API-key account.
 */
public enum SubscriptionTier {
  FREE, PRO, MAX, UNKNOWN, PLUS, TEAM, BUSINESS, ENTERPRISE, EDU;

  /** A ChatGPT plan ({@code chatgpt_plan_type}), or null for none or one this relay does not know. */
  public static SubscriptionTier fromChatGptPlan(String planType) {
    if (planType == null) {
      return null;
    }
    return switch (planType.strip().toLowerCase(Locale.ROOT)) {
      case "free" -> FREE;
      case "plus" -> PLUS;
      case "pro" -> PRO;
      case "team" -> TEAM;
      case "business" -> BUSINESS;
      case "enterprise" -> ENTERPRISE;
      case "edu" -> EDU;
      default -> null;
    };
  }

  /** Reads {@code account.has_claude_max/pro} and {@code organization.organization_type}. */
  public static SubscriptionTier fromProfile(byte[] body) {
    JsonNode n = Json.tryParse(body).orElse(null);
    if (n == null || !n.isObject()) {
      return UNKNOWN;
    }
    JsonNode account = n.path("account");
    String orgType = n.path("organization").path("organization_type").asText("").toLowerCase(Locale.ROOT);
    if (account.path("has_claude_max").asBoolean(false) || orgType.contains("max")) {
      return MAX;
    }
    if (account.path("has_claude_pro").asBoolean(false) || orgType.contains("pro")) {
      return PRO;
    }
    if (account.isObject() || !orgType.isEmpty()) {
      return FREE;
    }
    return UNKNOWN;
  }

  /**
   * Whether an account of this tier can serve the model: Free never serves Opus; Pro serves only
   * Opus 4.5 and newer; Max and unknown tiers serve everything (unknown: upstream decides). The ChatGPT
   * plans are never asked about a Claude model, and answer like unknown.
   */
  public boolean serves(String model) {
    if (ModelFamily.of(model) != ModelFamily.OPUS) {
      return true;
    }
    return switch (this) {
      case FREE -> false;
      case PRO -> ModelFamily.isOpus45OrNewer(model);
      case MAX, UNKNOWN, PLUS, TEAM, BUSINESS, ENTERPRISE, EDU -> true;
    };
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
