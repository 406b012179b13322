package dev.relaycluster.account;

import dev.relaycluster.account.AccountEntity.AccountBlocked;
import dev.relaycluster.account.AccountEntity.AccountUnauthorized;
import dev.relaycluster.account.AccountEntity.CooldownEnded;
import dev.relaycluster.account.AccountEntity.CooldownStarted;
import dev.relaycluster.account.AccountEntity.HealthReset;
import dev.relaycluster.account.AccountEntity.UtilisationSeen;
import java.util.Optional;

/**
 * What an account's journal says about its health over time, one entry per event worth showing: cooldowns
 * started and ended, blocks, refused credentials, resets and the fullest rate-limit window moving into another
 * 10 % band. Pure: the admin reads the journal and maps each event through {@link #entry}.
 */
public final class HealthHistory {
  private HealthHistory() {}

  /**
   * One entry: {@code kind} is cooldown-started, cooldown-ended, blocked, unauthorized, reset or utilisation;
   * the other fields are null where the kind has none.
   */
  public record Entry(long at, String kind, String family, Long until, String reason, Integer status,
      Double utilisation) {}

  /** The entry for an event of the account's journal, if it is one worth showing. */
  public static Optional<Entry> entry(Object event) {
    if (event instanceof CooldownStarted c) {
      CooldownMark m = c.mark();
      return Optional.of(new Entry(m.at(), "cooldown-started", m.family(), m.until(), m.reason(),
          m.status() > 0 ? m.status() : null, null));
    }
    if (event instanceof CooldownEnded e) {
      return Optional.of(new Entry(e.at(), "cooldown-ended", e.family(), null, null, null, null));
    }
    if (event instanceof AccountBlocked b) {
      return Optional.of(new Entry(b.at(), "blocked", null, null, b.reason(), null, null));
    }
    if (event instanceof AccountUnauthorized u) {
      return Optional.of(new Entry(u.at(), "unauthorized", null, null, u.reason(), null, null));
    }
    if (event instanceof HealthReset r) {
      return Optional.of(new Entry(r.at(), "reset", null, null, null, null, null));
    }
    if (event instanceof UtilisationSeen s) {
      return Optional.of(new Entry(s.at(), "utilisation", null, null, null, null, s.utilisation()));
    }
    return Optional.empty();
  }
}
