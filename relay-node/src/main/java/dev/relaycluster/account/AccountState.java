package dev.relaycluster.account;

import dev.relaycluster.account.AccountEntity.AccountBlocked;
import dev.relaycluster.account.AccountEntity.AccountCreated;
import dev.relaycluster.account.AccountEntity.AccountDeleted;
import dev.relaycluster.account.AccountEntity.AccountUnauthorized;
import dev.relaycluster.account.AccountEntity.AccountUpdated;
import dev.relaycluster.account.AccountEntity.CooldownEnded;
import dev.relaycluster.account.AccountEntity.CooldownStarted;
import dev.relaycluster.account.AccountEntity.Event;
import dev.relaycluster.account.AccountEntity.HealthReset;
import dev.relaycluster.account.AccountEntity.TokensRefreshed;
import dev.relaycluster.account.AccountEntity.UtilisationSeen;
import dev.relaycluster.cluster.CborSerializable;
import java.time.Instant;
import java.util.Arrays;

/**
 * An {@link AccountEntity}'s state: the account as its events left it; {@code revision} counts events.
 * Immutable; {@link #apply} returns the next state.
 *
 * <p>Snapshots written before this record had its own file carry the manifest
 * {@code dev.relaycluster.account.AccountEntity$State}; {@link AccountStateMigration} reads them as this
 * class, so its JSON shape must stay what that record wrote (same field names).
 */
public record AccountState(String accountId, AccountDefinition definition, long deletedAt, long revision,
    AccountHealth health) implements CborSerializable {

  public AccountState {
    health = health == null ? AccountHealth.CLEAR : health;
  }

  public AccountState(String accountId, AccountDefinition definition, long deletedAt, long revision) {
    this(accountId, definition, deletedAt, revision, AccountHealth.CLEAR);
  }

  /** The state of an account no event has created yet. */
  public static AccountState empty(String accountId) {
    return new AccountState(accountId, null, 0, 0);
  }

  public boolean exists() {
    return definition != null && deletedAt == 0;
  }

  /**
   * Why the account cannot take one more request while {@code leasesInFlight} are in flight (it is
   * paused, blocked, unauthorized or at its concurrency limit), null when it can.
   */
  public String refusal(int leasesInFlight) {
    if (definition.paused()) {
      return "account is paused";
    }
    if (health.blocked()) {
      return "account is blocked: " + health.blockedReason();
    }
    if (health.unauthorized()) {
      return "account is unauthorized: " + health.unauthorizedReason();
    }
    if (definition.maxConcurrency() > 0 && leasesInFlight >= definition.maxConcurrency()) {
      return "account is at its concurrency limit of " + definition.maxConcurrency();
    }
    return null;
  }

  /**
   * Why a request for model {@code family} may not have a lease at {@code now} though the node routed it here: a
   * real limit covers the family (its cooldown written after the node's pool view was); null: none.
   */
  public String limitRefusal(String family, long now) {
    return health.limitFor(family, now)
        .map(m -> "account is cooling down until " + Instant.ofEpochMilli(m.until()) + " (" + m.reason() + ")")
        .orElse(null);
  }

  public AccountStatus status() {
    if (deletedAt > 0) {
      return AccountStatus.DELETED;
    }
    if (definition.paused()) {
      return AccountStatus.PAUSED;
    }
    if (health.blocked()) {
      return AccountStatus.BLOCKED;
    }
    return health.unauthorized() ? AccountStatus.UNAUTHORIZED : AccountStatus.ACTIVE;
  }

  public AccountState apply(Event event) {
    long r = revision + 1;
    if (event instanceof AccountCreated c) {
      return new AccountState(accountId, c.definition(), 0, r, AccountHealth.CLEAR);
    }
    if (event instanceof AccountUpdated u) {
      boolean newCredentials = definition != null
          && !Arrays.equals(definition.sealedSecrets(), u.definition().sealedSecrets());
      return new AccountState(accountId, u.definition(), deletedAt, r,
          newCredentials ? health.withUnauthorized(null) : health);
    }
    if (event instanceof AccountDeleted d) {
      return new AccountState(accountId, definition, d.deletedAt(), r, health);
    }
    if (event instanceof TokensRefreshed t) {
      return new AccountState(accountId, definition.withSecrets(t.sealedSecrets(), definition.updatedAt()), deletedAt,
          r, health.withUnauthorized(null));
    }
    AccountHealth next;
    if (event instanceof CooldownStarted c) {
      next = health.cooling(c.mark());
    } else if (event instanceof CooldownEnded e) {
      next = health.ended(e.family());
    } else if (event instanceof AccountBlocked b) {
      next = health.withBlock(b.reason());
    } else if (event instanceof AccountUnauthorized u) {
      next = health.withUnauthorized(u.reason());
    } else if (event instanceof HealthReset) {
      next = AccountHealth.CLEAR;
    } else if (event instanceof UtilisationSeen u) {
      next = health.withUtilisation(u.utilisation(), u.windows());
    } else {
      next = health;
    }
    return new AccountState(accountId, definition, deletedAt, r, next);
  }

  public PoolEntry toEntry() {
    AccountDefinition d = definition;
    String reason = health.blocked() ? health.blockedReason() : health.unauthorizedReason();
    return new PoolEntry(accountId, d.name(), d.platform(), d.type(), d.baseUrl(), d.priority(),
        d.maxConcurrency(), status(), d.createdAt(), deletedAt > 0 ? deletedAt : d.updatedAt(), revision,
        d.tier(), d.groups(), health.marks(), health.utilisation(), d.priceMultiplier(), d.proxy(), reason,
        health.windows());
  }
}
