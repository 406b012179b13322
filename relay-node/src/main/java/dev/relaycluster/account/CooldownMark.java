package dev.relaycluster.account;

import dev.relaycluster.cluster.CborSerializable;

/**
 * An account cooling down until {@code until} (epoch millis): for all models ({@code family}
 * {@value #WHOLE_ACCOUNT}) or one model family ("opus", "sonnet", "haiku"). {@code transientError}
 * marks cooldowns from passing trouble (529, 5xx, timeouts, 429 without a reset), which the cascade
 * guard may override; a rate limit with a reset time from upstream is not transient.
 */
public record CooldownMark(String family, long until, String reason, int status, boolean transientError, long at)
    implements CborSerializable {
  public static final String WHOLE_ACCOUNT = "account";

  public boolean activeAt(long now) {
    return until > now;
  }

  /** Whether this mark keeps the account from serving a model of {@code family} ("account" for any). */
  public boolean covers(String requestFamily) {
    return family.equals(WHOLE_ACCOUNT) || family.equals(requestFamily);
  }
}
