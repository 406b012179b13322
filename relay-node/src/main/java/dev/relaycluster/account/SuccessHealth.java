package dev.relaycluster.account;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.List;

/**
 * What a successful upstream answer changes in an account's health: it ends the cooldown marks that cover
 * the request's model family (a Sonnet answer says nothing about an Opus limit), and records a utilisation
 * that moved into another 10 % band. Anything else about a success is no news.
 */
public final class SuccessHealth {
  private SuccessHealth() {}

  /** The marks a success of this family ends, expired ones included (they are tidied away with it). */
  public static List<CooldownMark> cleared(List<CooldownMark> marks, String family) {
    return marks.stream().filter(m -> m.covers(family)).toList();
  }

  /** Whether a seen utilisation (-1: none reported) moves the known one into another band. */
  public static boolean utilisationMoved(double known, double seen) {
    return seen >= 0 && band(seen) != band(known);
  }

  /**
   * Whether this verdict could change the account's health as the pool entry shows it: always for a
   * failure, for a success only when it ends a mark or moves the utilisation. A requester skips the
   * report of a success that changes nothing; the entity would have done nothing with it.
   */
  public static boolean isNews(PoolEntry entry, AnswerVerdict verdict, String family) {
    return verdict.answerClass() != AnswerClass.SUCCESS
        || !cleared(entry.cooldowns(), family).isEmpty()
        || utilisationMoved(entry.utilisation(), verdict.utilisation());
  }

  /** Utilisation in 10 % bands; -1 (unknown) is its own band. */
  private static int band(double utilisation) {
    return utilisation < 0 ? -1 : (int) Math.min(10, Math.floor(utilisation * 10));
  }
}
