package dev.relaycluster.account;

import dev.relaycluster.config.PaceSettings;
import java.util.Collection;

/**
 * Pure rules of account pace: how one attempt moves a node's running figures, how the nodes' figures add
 * up, and whether an account is too slow or failing too often to keep its conversations.
 */
public final class PaceRule {
  /** Weight of the newest attempt in the running averages (about the last ten attempts count). */
  static final double ALPHA = 0.2;
  /** A node's figures count at most as much as this many attempts, so one busy node cannot hide the others. */
  static final long MAX_WEIGHT = 50;

  private PaceRule() {}

  /** A node's figures after one more attempt: {@code firstByteMillis} of a success, or a failure. */
  public static AccountPace after(AccountPace before, boolean failed, long firstByteMillis, long now) {
    long samples = before.samples() + 1;
    // The first attempts are averaged plainly, later ones with a fixed weight.
    double weight = Math.max(ALPHA, 1.0 / samples);
    double errorRate = before.errorRate() + weight * ((failed ? 1 : 0) - before.errorRate());
    double firstByte = before.firstByteMillis();
    if (!failed && firstByteMillis >= 0) {
      firstByte = firstByte < 0 ? firstByteMillis : firstByte + Math.max(ALPHA, 1.0 / samples)
          * (firstByteMillis - firstByte);
    }
    return new AccountPace(before.id(), before.accountId(), before.node(), Math.max(before.revision() + 1, now),
        firstByte, errorRate, samples, now);
  }

  /** The figures of every node for one account that are younger than {@code windowMillis}, added up. */
  public static PaceSummary merge(Collection<AccountPace> nodes, long now, long windowMillis) {
    double weights = 0;
    double errors = 0;
    double firstByteWeights = 0;
    double firstByte = 0;
    long samples = 0;
    for (AccountPace p : nodes) {
      if (now - p.at() > windowMillis || p.samples() <= 0) {
        continue;
      }
      double w = Math.min(p.samples(), MAX_WEIGHT);
      weights += w;
      errors += w * p.errorRate();
      samples += p.samples();
      if (p.firstByteMillis() >= 0) {
        firstByteWeights += w;
        firstByte += w * p.firstByteMillis();
      }
    }
    if (weights == 0) {
      return PaceSummary.NONE;
    }
    return new PaceSummary(firstByteWeights == 0 ? -1 : firstByte / firstByteWeights, errors / weights, samples);
  }

  /** Whether these figures say the account should not keep (or get) conversations while another can. */
  public static boolean lagging(PaceSummary pace, PaceSettings settings) {
    if (!settings.enabled() || pace.samples() < settings.minSamples()) {
      return false;
    }
    boolean slow = !settings.slowFirstByte().isZero() && pace.firstByteMillis() >= 0
        && pace.firstByteMillis() > settings.slowFirstByte().toMillis();
    boolean failing = settings.errorRate() > 0 && pace.errorRate() >= settings.errorRate();
    return slow || failing;
  }

  /** Why, in words, for the log. */
  public static String describe(PaceSummary pace) {
    return String.format(java.util.Locale.ROOT, "first byte %.0f ms on average, %.0f %% of %d attempts failed",
        pace.firstByteMillis(), pace.errorRate() * 100, pace.samples());
  }
}
