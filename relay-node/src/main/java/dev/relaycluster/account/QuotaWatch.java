package dev.relaycluster.account;

import dev.relaycluster.account.AccountEntity.Command;
import dev.relaycluster.account.AccountEntity.UtilisationSeen;
import dev.relaycluster.upstream.ProxySpec;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The background quota reading of one {@link AccountEntity} whose type has a {@link QuotaFetcher}: when the
 * account is handed out and its last fetch started at least the fetcher's interval ago (and none runs), one
 * fetch starts beside the request, never in its way. Its answer is kept in memory for the admin view, and
 * becomes the account's utilisation (for scheduling headroom) when it moves into another 10 % band. In
 * memory only and owned by the entity's actor: a passivated entity fetches again on its next use.
 */
final class QuotaWatch {
  private final ActorContext<Command> context;
  private final String accountId;
  private final QuotaFetcher fetcher;
  private final Function<AccountState, AccountSecrets> secrets;
  private final BiFunction<QuotaSnapshot, Throwable, Command> done;
  private boolean fetching;
  private long lastStartedAt;
  private QuotaSnapshot latest;

  /**
   * @param secrets opens the account's secrets (null when they cannot be read)
   * @param done the command a fetch's outcome comes back as
   */
  QuotaWatch(ActorContext<Command> context, String accountId, QuotaFetcher fetcher,
      Function<AccountState, AccountSecrets> secrets, BiFunction<QuotaSnapshot, Throwable, Command> done) {
    this.context = context;
    this.accountId = accountId;
    this.fetcher = fetcher;
    this.secrets = secrets;
    this.done = done;
  }

  /** Whether a fetch is due at {@code now}: none runs and the last one started an interval ago or more. */
  static boolean due(boolean fetching, long lastStartedAt, long intervalMs, long now) {
    return !fetching && (lastStartedAt == 0 || now - lastStartedAt >= intervalMs);
  }

  /** The account was handed out at {@code now}: start a fetch when one is due and the account can be asked. */
  void used(AccountState state, long now) {
    AccountDefinition d = state.definition();
    if (!fetcher.covers(d.type()) || !due(fetching, lastStartedAt, fetcher.interval().toMillis(), now)) {
      return;
    }
    AccountSecrets s = secrets.apply(state);
    if (s == null || s.accessToken() == null || s.upstreamAccountId() == null) {
      return;
    }
    ProxySpec proxy;
    try {
      proxy = s.proxyUrl() == null ? null : ProxySpec.parse(s.proxyUrl());
    } catch (IllegalArgumentException e) {
      return;
    }
    fetching = true;
    lastStartedAt = now;
    context.pipeToSelf(fetcher.fetch(d, s, proxy), done::apply);
  }

  /**
   * A fetch finished: keeps its answer, and returns the event that records the account's new utilisation
   * when it moved into another band (null: nothing to write).
   */
  UtilisationSeen finished(AccountState state, QuotaSnapshot snapshot, Throwable failure, long now) {
    fetching = false;
    if (failure != null || snapshot == null) {
      context.getLog().debug("quota of account {} not read: {}", accountId,
          failure == null ? "no answer" : TokenRefresh.rootCause(failure).getMessage());
      return null;
    }
    latest = snapshot;
    double utilisation = snapshot.utilisation();
    if (!state.exists() || !SuccessHealth.utilisationMoved(state.health().utilisation(), utilisation)) {
      return null;
    }
    return new UtilisationSeen(accountId, utilisation, now, null);
  }

  /** The last quota read, null when none was. */
  QuotaSnapshot latest() {
    return latest;
  }
}
