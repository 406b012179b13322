package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.oauth.OAuthTokens;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The token refresh's pure decisions, without an actor system. */
class TokenRefreshTest {
  private static final long NOW = 1_000_000_000L;
  private static final long AHEAD = 300_000L;
  private static final AccountSecrets OAUTH = new AccountSecrets(null, "access", "refresh", NOW + 600_000L,
      List.of("user:inference"), null, null);

  @Test
  void onlyAnOAuthAccountWithARefreshTokenCanRefresh() {
    assertTrue(TokenRefresh.canRefresh(AccountType.CLAUDE_OAUTH, OAUTH));
    assertFalse(TokenRefresh.canRefresh(AccountType.CLAUDE_CONSOLE, OAUTH));
    assertFalse(TokenRefresh.canRefresh(AccountType.CLAUDE_OAUTH, null), "unreadable secrets");
    assertFalse(TokenRefresh.canRefresh(AccountType.CLAUDE_OAUTH, new AccountSecrets(null, "a", " ", NOW)));
  }

  @Test
  void aRefreshIsDueWithinTheRefreshAheadOfExpiry() {
    assertFalse(TokenRefresh.due(AccountType.CLAUDE_OAUTH, OAUTH, NOW, 0, AHEAD), "ten minutes left");
    assertTrue(TokenRefresh.due(AccountType.CLAUDE_OAUTH, OAUTH, NOW + 300_000L, 0, AHEAD));
    assertFalse(TokenRefresh.due(AccountType.CODEX_OAUTH, new AccountSecrets(null, "a", "r", 0), NOW, 0, AHEAD),
        "no expiry known");
    assertFalse(TokenRefresh.due(AccountType.CLAUDE_CONSOLE, OAUTH, NOW + 600_000L, 0, AHEAD));
  }

  @Test
  void aFailedRefreshIsNotRetriedOnAcquireForAWhile() {
    long later = NOW + 600_000L;
    assertFalse(TokenRefresh.due(AccountType.CLAUDE_OAUTH, OAUTH, later, later - 1_000L, AHEAD));
    assertTrue(TokenRefresh.due(AccountType.CLAUDE_OAUTH, OAUTH, later, later - TokenRefresh.RETRY_PAUSE_MS, AHEAD));
  }

  @Test
  void theNextRefreshIsScheduledAheadOfExpiry() {
    assertEquals(300_001L, TokenRefresh.delayUntilDue(AccountType.CLAUDE_OAUTH, OAUTH, NOW, AHEAD));
    assertEquals(1L, TokenRefresh.delayUntilDue(AccountType.CLAUDE_OAUTH, OAUTH, NOW + 900_000L, AHEAD),
        "overdue: at once");
    assertEquals(-1L, TokenRefresh.delayUntilDue(AccountType.CLAUDE_CONSOLE, OAUTH, NOW, AHEAD));
    assertEquals(-1L, TokenRefresh.delayUntilDue(AccountType.CLAUDE_OAUTH, new AccountSecrets(null, "a", null, NOW),
        NOW, AHEAD));
  }

  @Test
  void newTokensKeepWhatTheAnswerLeavesOut() {
    OAuthTokens t = new OAuthTokens("access-2", null, NOW + 3_600_000L, List.of(), "chatgpt-account", null, null);
    TokenRefresh.Renewed claude = assertInstanceOf(TokenRefresh.Renewed.class,
        TokenRefresh.judge(AccountType.CLAUDE_OAUTH, OAUTH, t, null, true, false, false));
    assertEquals("access-2", claude.secrets().accessToken());
    assertEquals("refresh", claude.secrets().refreshToken(), "no rotation: the old refresh token stays");
    assertEquals(List.of("user:inference"), claude.secrets().scopes());
    assertEquals(null, claude.secrets().upstreamAccountId());
    TokenRefresh.Renewed codex = assertInstanceOf(TokenRefresh.Renewed.class,
        TokenRefresh.judge(AccountType.CODEX_OAUTH, OAUTH, t, null, true, false, false));
    assertEquals("chatgpt-account", codex.secrets().upstreamAccountId());
  }

  @Test
  void aGeminiLoginGetsTheProjectTheRefreshFoundOnlyWhenItHasNone() {
    OAuthTokens t = new OAuthTokens("ya29.new", null, NOW + 3_600_000L, List.of(), "found-project", null, null);
    TokenRefresh.Renewed none = assertInstanceOf(TokenRefresh.Renewed.class,
        TokenRefresh.judge(AccountType.GEMINI_OAUTH, OAUTH, t, null, true, false, false));
    assertEquals("found-project", none.secrets().upstreamAccountId());
    assertEquals("refresh", none.secrets().refreshToken(), "Google did not rotate it: the old one stays");
    TokenRefresh.Renewed own = assertInstanceOf(TokenRefresh.Renewed.class,
        TokenRefresh.judge(AccountType.GEMINI_OAUTH, OAUTH.withUpstreamAccountId("admins-project"), t, null, true,
            false, false));
    assertEquals("admins-project", own.secrets().upstreamAccountId());
  }

  @Test
  void aQuotaFetchIsDueOnceAnIntervalAndNeverTwiceAtOnce() {
    assertTrue(QuotaWatch.due(false, 0, 300_000L, NOW), "never fetched");
    assertFalse(QuotaWatch.due(false, NOW - 299_999L, 300_000L, NOW));
    assertTrue(QuotaWatch.due(false, NOW - 300_000L, 300_000L, NOW));
    assertFalse(QuotaWatch.due(true, 0, 300_000L, NOW), "one runs");
  }

  @Test
  void aFailureMarksTheAccountWhenTheTokenIsDeadOrSomeoneWaits() {
    Throwable rejected = new CompletionException(new OAuthException("invalid_grant", true));
    Throwable unreachable = new OAuthException("timed out", false);
    assertEquals(new TokenRefresh.Failed("invalid_grant", true),
        TokenRefresh.judge(AccountType.CLAUDE_OAUTH, OAUTH, null, rejected, true, false, false));
    assertEquals(new TokenRefresh.Failed("timed out", false),
        TokenRefresh.judge(AccountType.CLAUDE_OAUTH, OAUTH, null, unreachable, true, false, false));
    assertEquals(new TokenRefresh.Failed("timed out", true),
        TokenRefresh.judge(AccountType.CLAUDE_OAUTH, OAUTH, null, unreachable, true, false, true));
    assertEquals(new TokenRefresh.Failed("invalid_grant", false),
        TokenRefresh.judge(AccountType.CLAUDE_OAUTH, OAUTH, null, rejected, true, true, true), "marked already");
    assertEquals(new TokenRefresh.Failed("invalid_grant", false),
        TokenRefresh.judge(null, null, null, rejected, false, false, true), "deleted meanwhile");
    assertEquals(new TokenRefresh.Failed("the account's credentials cannot be read", true),
        TokenRefresh.judge(AccountType.CLAUDE_OAUTH, null, null, null, true, false, true));
  }

  @Test
  void theCauseIsFoundInsideCompletionWrappers() {
    OAuthException cause = new OAuthException("x", true);
    assertSame(cause, TokenRefresh.rootCause(new CompletionException(new CompletionException(cause))));
    assertEquals(null, TokenRefresh.rootCause(null));
  }
}
