package dev.relaycluster.account;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.time.Instant;

/**
 * The cooldown state machine's transitions as a pure function: an upstream answer (already read into
 * an {@link AnswerVerdict}), the time, and the configured lengths give one {@link HealthDecision}.
 * <ul>
 *   <li>429 with a reset time: cool until then (capped), for the family the answer names (or the request's,
 *       when the answer says its limits are per model), else the whole account; not transient. 429 with only {@code retry-after}: that long (capped), transient. 429 with
 *       neither: the short configured pause, transient.</li>
 *   <li>529, 500/502/503, 504/timeouts/connection failures: their configured short pauses, transient.</li>
 *   <li>401: one forced refresh when the account can refresh and has not just done so; else unauthorized.</li>
 *   <li>400/403 "organization has been disabled": blocked.</li>
 *   <li>2xx: healthy (clears cooldowns). Other 4xx: nothing.</li>
 * </ul>
 */
public final class CooldownRules {
  private CooldownRules() {}

  public static HealthDecision decide(AnswerVerdict v, long now, RelaySettings.Accounts.Cooldowns cfg,
      boolean canRefresh, boolean afterRefresh) {
    return decide(v, now, cfg, canRefresh, afterRefresh, null);
  }

  /**
   * @param requestFamily the model family of the request the answer was to (as its platform names it), which
   *     a rate limit about the request's family ({@link AnswerVerdict#requestFamily()}) cools; null unknown
   */
  public static HealthDecision decide(AnswerVerdict v, long now, RelaySettings.Accounts.Cooldowns cfg,
      boolean canRefresh, boolean afterRefresh, String requestFamily) {
    return switch (v.answerClass()) {
      case SUCCESS -> new HealthDecision.Healthy(v.utilisation());
      case REQUEST_ERROR -> new HealthDecision.Nothing();
      case ORG_DISABLED -> new HealthDecision.Block("upstream refused the organisation (" + v.status() + "): "
          + v.message());
      case UNAUTHORIZED -> canRefresh && !afterRefresh
          ? new HealthDecision.Refresh()
          : new HealthDecision.Unauthorized("upstream refused the credential"
              + (afterRefresh ? " after a token refresh" : "") + " (401): " + v.message());
      case OVERLOADED -> cool(CooldownMark.WHOLE_ACCOUNT, now + cfg.overloaded().toMillis(),
          "upstream overloaded (529)", v, now, true);
      case SERVER_ERROR -> cool(CooldownMark.WHOLE_ACCOUNT, now + cfg.serverError().toMillis(),
          "upstream server error (" + v.status() + ")", v, now, true);
      case UNREACHABLE -> cool(CooldownMark.WHOLE_ACCOUNT, now + cfg.unreachable().toMillis(),
          v.status() == 504 ? "upstream gateway timeout (504)" : "upstream unreachable: " + v.message(), v, now, true);
      case RATE_LIMITED -> rateLimited(v, now, cfg, requestFamily);
    };
  }

  private static HealthDecision rateLimited(AnswerVerdict v, long now, RelaySettings.Accounts.Cooldowns cfg,
      String requestFamily) {
    String family = v.family() != null ? v.family().wireName()
        : v.requestFamily() && requestFamily != null ? requestFamily : CooldownMark.WHOLE_ACCOUNT;
    long cap = now + cfg.rateLimitMax().toMillis();
    if (v.resetAtMillis() > now) {
      long until = Math.min(v.resetAtMillis(), cap);
      return cool(family, until, "rate limited until " + Instant.ofEpochMilli(until) + " (429"
          + (family.equals(CooldownMark.WHOLE_ACCOUNT) ? "" : ", " + family + " only") + ")", v, now, false);
    }
    if (v.retryAfterSeconds() > 0) {
      long until = Math.min(now + v.retryAfterSeconds() * 1000, cap);
      return cool(family, until, "rate limited, retry after " + v.retryAfterSeconds() + " s (429)", v, now, true);
    }
    return cool(family, now + cfg.rateLimited().toMillis(), "rate limited without a reset time (429)", v, now, true);
  }

  private static HealthDecision cool(String family, long until, String reason, AnswerVerdict v, long now,
      boolean transientError) {
    return new HealthDecision.Cool(new CooldownMark(family, until, reason, v.status(), transientError, now));
  }
}
