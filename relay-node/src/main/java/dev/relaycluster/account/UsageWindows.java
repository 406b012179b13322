package dev.relaycluster.account;

import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;

/**
 * The two rate-limit windows a subscription reports, as fractions 0..1 (-1 unknown): the short one (Claude's
 * and ChatGPT's 5-hour window) and the weekly one. Shown in the admin account view.
 */
public record UsageWindows(double fiveHour, double weekly) implements CborSerializable {

  /** The windows an answer reported, or null when it reported none. */
  public static UsageWindows of(AnswerVerdict verdict) {
    return verdict.utilisation5h() < 0 && verdict.utilisation7d() < 0 ? null
        : new UsageWindows(verdict.utilisation5h(), verdict.utilisation7d());
  }
}
