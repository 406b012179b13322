package dev.relaycluster.apikey;

import java.time.Instant;
import java.util.Optional;

/**
 * Step 2 of the request path (ARCHITECTURE.md §1): the rules every node checks from its replica of the
 * key, without a hop: that it is not revoked or deleted, expiry, the pool permission, the client
 * restriction (the recognised client and the paths it uses) and the model restriction. Pure.
 */
public final class StaticPolicy {
  public static final String REVOKED_MESSAGE = "this API key has been revoked";
  public static final String DELETED_MESSAGE = "this API key has been revoked: it was deleted by an admin";

  private StaticPolicy() {}

  /** The refusal of a request of a known key, or empty when its policy lets it through to admission. */
  public static Optional<Admission.Refuse> check(KeyEntry key, RequestFacts facts, long now) {
    if (key.status() == KeyStatus.REVOKED) {
      return refuse(Refusal.REVOKED, REVOKED_MESSAGE);
    }
    if (key.status() == KeyStatus.DELETED) {
      return refuse(Refusal.DELETED, DELETED_MESSAGE);
    }
    KeySettings settings = key.settings();
    if (settings.expiry().expired(key.activatedAt(), now)) {
      return refuse(Refusal.EXPIRED, expiredMessage(key.expiresAt()));
    }
    KeyAccess access = settings.access();
    if (!access.allowsPool(facts.pool())) {
      return refuse(Refusal.PERMISSION, "permission rule: this API key may not use the " + facts.pool()
          + " pool (it may use: " + String.join(", ", access.pools().stream().sorted().toList()) + ")");
    }
    if (!access.allowedClients().isEmpty()) {
      String allowed = String.join(", ", access.allowedClients());
      if (!access.allowsClient(facts.clientKind())) {
        return refuse(Refusal.CLIENT, "client rule: this API key may only be used from " + allowed
            + "; this request's User-Agent is not one of them");
      }
      if (!ClientPaths.speaks(facts.clientKind(), facts.dialect())) {
        return refuse(Refusal.CLIENT, "client rule: " + facts.clientKind() + " does not use " + facts.dialect()
            + " paths, so this API key (restricted to " + allowed + ") may not be used here");
      }
    }
    // A call that names no model (a Code Assist side call) is not a model's use.
    if (facts.model() != null && !access.allowsModel(facts.model())) {
      String blocking = access.blockingPattern(facts.model());
      return refuse(Refusal.MODEL, "model rule: this API key may not use model " + facts.model()
          + (blocking != null ? " (blocked: " + blocking + ")"
              : " (allowed: " + String.join(", ", access.allowedModels()) + ")"));
    }
    return Optional.empty();
  }

  static String expiredMessage(long expiresAt) {
    return "this API key expired at " + Instant.ofEpochMilli(expiresAt);
  }

  private static Optional<Admission.Refuse> refuse(Refusal refusal, String message) {
    return Optional.of(new Admission.Refuse(refusal, message, 0, 0));
  }
}
