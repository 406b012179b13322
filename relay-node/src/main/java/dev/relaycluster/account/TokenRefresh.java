package dev.relaycluster.account;

import dev.relaycluster.account.AccountEntity.Command;
import dev.relaycluster.account.AccountEntity.ReportReply;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.store.CredentialDecryptionException;
import dev.relaycluster.upstream.ProxySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The OAuth token refresh of one {@link AccountEntity}: when one is due, starting it, scheduling the next
 * ahead of expiry, and what its outcome means. In memory only and owned by the entity's actor (it is
 * single-flight because there is one entity per account in the cluster): whether a refresh runs, when the
 * last one failed, and who waits for it after a 401. The decisions are the static functions, pure.
 */
final class TokenRefresh {
  /** A refresh that failed is not retried on acquire for this long (401s still force one). */
  static final long RETRY_PAUSE_MS = 30_000;

  private final ActorContext<Command> context;
  private final String accountId;
  private final AccountServices services;
  private final BiFunction<OAuthTokens, Throwable, Command> done;
  private final Supplier<Command> timer;
  private boolean refreshing;
  private long lastFailedAt;
  private final List<ActorRef<ReportReply>> awaiting = new ArrayList<>();

  /**
   * @param done the command a refresh's outcome comes back as (tokens, or the failure)
   * @param timer the command that says a scheduled refresh is due
   */
  TokenRefresh(ActorContext<Command> context, String accountId, AccountServices services,
      BiFunction<OAuthTokens, Throwable, Command> done, Supplier<Command> timer) {
    this.context = context;
    this.accountId = accountId;
    this.services = services;
    this.done = done;
    this.timer = timer;
  }

  // ---- pure decisions

  /** Whether a 401 can be answered by refreshing: an OAuth account whose refresh token is readable. */
  static boolean canRefresh(AccountType type, AccountSecrets secrets) {
    return secrets != null && type.oauth() && hasRefreshToken(secrets);
  }

  /**
   * Whether the tokens should be refreshed before they are handed out: an OAuth account with a refresh
   * token and an expiry that is {@code aheadMs} away or less, unless a refresh failed less than
   * {@link #RETRY_PAUSE_MS} ago ({@code lastFailedAt}, 0 when none did).
   */
  static boolean due(AccountType type, AccountSecrets secrets, long now, long lastFailedAt, long aheadMs) {
    if (!type.oauth()) {
      return false;
    }
    if (lastFailedAt > 0 && now - lastFailedAt < RETRY_PAUSE_MS) {
      return false;
    }
    return secrets != null && hasRefreshToken(secrets) && secrets.expiresAt() > 0
        && now >= secrets.expiresAt() - aheadMs;
  }

  /**
   * In how many milliseconds the next refresh ahead of expiry is due (at least 1), or -1 when none is to
   * be scheduled (not an OAuth account, no refresh token, or no expiry).
   */
  static long delayUntilDue(AccountType type, AccountSecrets secrets, long now, long aheadMs) {
    if (!type.oauth() || secrets == null || secrets.refreshToken() == null || secrets.expiresAt() <= 0) {
      return -1;
    }
    return Math.max(0, secrets.expiresAt() - aheadMs - now) + 1;
  }

  /** What a finished refresh leads to. */
  sealed interface Outcome {}

  /** New secrets to seal and persist. */
  record Renewed(AccountSecrets secrets) implements Outcome {}

  /** The refresh failed for {@code why}; {@code markUnauthorized}: the account is to be marked so. */
  record Failed(String why, boolean markUnauthorized) implements Outcome {}

  /**
   * Judges a finished refresh. {@code old} is the account's current secrets, null when the account no
   * longer exists or they cannot be read; {@code failure} the refresh's failure, null when it succeeded
   * with {@code tokens}. A failure marks the account unauthorized when it still exists and is not marked
   * already, and either the token endpoint rejected the refresh token or requests wait for the refresh.
   */
  static Outcome judge(AccountType type, AccountSecrets old, OAuthTokens tokens, Throwable failure, boolean exists,
      boolean unauthorized, boolean anyoneWaiting) {
    if (failure != null || old == null) {
      Throwable cause = rootCause(failure);
      String why = cause == null ? "the account's credentials cannot be read" : cause.getMessage();
      boolean dead = cause instanceof OAuthException oe && oe.rejected();
      return new Failed(why, exists && (dead || anyoneWaiting) && !unauthorized);
    }
    AccountSecrets renewed = old.withTokens(tokens.accessToken(),
        tokens.refreshToken() != null ? tokens.refreshToken() : old.refreshToken(),
        tokens.expiresAt(), tokens.scopes().isEmpty() ? old.scopes() : tokens.scopes());
    if (type == AccountType.CODEX_OAUTH && tokens.accountUuid() != null) {
      // ChatGPT names the account in the id token that comes with each refresh.
      renewed = renewed.withUpstreamAccountId(tokens.accountUuid());
    }
    if (type == AccountType.GEMINI_OAUTH && tokens.accountUuid() != null
        && (old.upstreamAccountId() == null || old.upstreamAccountId().isBlank())) {
      // A Google login without its Code Assist project: the refresher found it (an admin's project stays).
      renewed = renewed.withUpstreamAccountId(tokens.accountUuid());
    }
    return new Renewed(renewed);
  }

  /** The failure inside the completion wrappers a future adds. */
  static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static boolean hasRefreshToken(AccountSecrets secrets) {
    return secrets.refreshToken() != null && !secrets.refreshToken().isBlank();
  }

  // ---- the entity's bookkeeping

  boolean running() {
    return refreshing;
  }

  boolean canRefresh(AccountState state) {
    AccountSecrets s = secrets(state);
    return s != null && canRefresh(state.definition().type(), s);
  }

  /** Whether the account's tokens are to be refreshed before they are handed out (see the static form). */
  boolean due(AccountState state) {
    if (!state.definition().type().oauth() || services.vault() == null) {
      return false;
    }
    long now = System.currentTimeMillis();
    if (lastFailedAt > 0 && now - lastFailedAt < RETRY_PAUSE_MS) {
      return false; // before opening the secrets
    }
    return due(state.definition().type(), secrets(state), now, lastFailedAt, aheadMs());
  }

  /**
   * Whether a request for the credentials must wait (in the stash) for new tokens: a refresh runs, or one
   * is due and is started now.
   */
  boolean holdsUp(AccountState state) {
    if (refreshing) {
      return true;
    }
    if (due(state)) {
      start(state);
      return true;
    }
    return false;
  }

  /** The scheduled time to refresh ahead of expiry came: refresh unless one runs or nobody needs it. */
  void timerFired(AccountState state) {
    if (state.exists() && !refreshing && due(state)) {
      start(state);
    }
  }

  /**
   * A request made with {@code usedSecrets} (null unknown) got a 401 that a refresh may cure. When the
   * tokens changed since it took them and someone waits for the answer, returns the definition to retry
   * with. Otherwise null: {@code replyTo} (null: nobody) waits for the refresh, started now unless one runs.
   */
  AccountDefinition refused(AccountState state, byte[] usedSecrets, ActorRef<ReportReply> replyTo) {
    boolean tokensChanged = usedSecrets != null && !Arrays.equals(usedSecrets, state.definition().sealedSecrets());
    if (tokensChanged && replyTo != null) {
      return state.definition(); // no second refresh
    }
    if (replyTo != null) {
      awaiting.add(replyTo);
    }
    if (!refreshing) {
      start(state);
    }
    return null;
  }

  /** Starts a refresh now; its outcome comes back to the entity as the {@code done} command. */
  void start(AccountState state) {
    AccountSecrets s = secrets(state);
    refreshing = true;
    if (s == null || s.refreshToken() == null) {
      context.getSelf().tell(done.apply(null, new OAuthException("the account has no refresh token", true)));
      return;
    }
    ProxySpec proxy;
    try {
      proxy = s.proxyUrl() == null ? null : ProxySpec.parse(s.proxyUrl());
    } catch (IllegalArgumentException e) {
      context.getSelf().tell(done.apply(null, new OAuthException("the account's proxy is invalid", false)));
      return;
    }
    context.getLog().info("refreshing the OAuth tokens of account {}", accountId);
    context.pipeToSelf(services.refresher().refresh(state.definition(), s, proxy), done::apply);
  }

  /**
   * While the entity lives, refresh ahead of expiry without waiting for a request (a passivated entity
   * refreshes on the next acquire instead).
   */
  void schedule(AccountState state) {
    if (!state.exists() || !state.definition().type().oauth()) {
      return;
    }
    long delay = delayUntilDue(state.definition().type(), secrets(state), System.currentTimeMillis(), aheadMs());
    if (delay >= 0) {
      context.scheduleOnce(Duration.ofMillis(delay), context.getSelf(), timer.get());
    }
  }

  /** The refresh in flight finished: who waited for it (no longer waiting). */
  List<ActorRef<ReportReply>> finished() {
    refreshing = false;
    List<ActorRef<ReportReply>> waiting = List.copyOf(awaiting);
    awaiting.clear();
    return waiting;
  }

  /**
   * Judges the refresh that finished (see {@link #judge}); after a failure, acquires do not retry it for
   * {@link #RETRY_PAUSE_MS}; after a success they may refresh again at once.
   */
  Outcome judge(AccountState state, OAuthTokens tokens, Throwable failure, boolean anyoneWaiting, long now) {
    AccountSecrets old = state.exists() ? secrets(state) : null;
    Outcome outcome = judge(state.exists() ? state.definition().type() : null, old, tokens, failure, state.exists(),
        state.exists() && state.health().unauthorized(), anyoneWaiting);
    if (outcome instanceof Failed f) {
      lastFailedAt = now;
      context.getLog().warn("OAuth refresh of account {} failed: {}", accountId, f.why());
    } else {
      lastFailedAt = 0;
    }
    return outcome;
  }

  /** An admin reset the account's health: acquires may refresh again at once. */
  void forgetFailure() {
    lastFailedAt = 0;
  }

  /** The account's secrets, null when there is no vault, no definition, or they cannot be opened. */
  AccountSecrets secrets(AccountState state) {
    if (services.vault() == null || state.definition() == null) {
      return null;
    }
    try {
      return services.vault().open(accountId, state.definition().sealedSecrets());
    } catch (CredentialDecryptionException | IllegalStateException e) {
      return null;
    }
  }

  private long aheadMs() {
    return services.settings().refreshAhead().toMillis();
  }
}
