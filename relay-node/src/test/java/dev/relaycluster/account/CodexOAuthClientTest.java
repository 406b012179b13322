package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.oauth.CodexOAuth;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.oauth.Pkce;
import dev.relaycluster.testing.HttpConnectProxy;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiAuth;
import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ChatGPT OAuth client against {@link MockOpenAi}'s token endpoint, which speaks auth.openai.com's wire
 * format: form-encoded grants, id tokens naming the ChatGPT account, single-use rotating refresh tokens and
 * OpenAI's error objects. Failures never repeat a token.
 */
class CodexOAuthClientTest {
  private static ActorSystem<Void> system;
  private static UpstreamClient upstream;
  private static MockOpenAi openai;
  private static MockOpenAiAuth auth;
  private static CodexOAuthClient client;

  @BeforeAll
  static void start() throws IOException {
    system = ActorSystem.create(Behaviors.empty(), "codex-oauth-client-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    upstream = new UpstreamClient(system, new RelaySettings.Upstream(Duration.ofSeconds(5), Duration.ofSeconds(20),
        Duration.ofSeconds(30), Duration.ofSeconds(30), 1 << 20, 3));
    openai = new MockOpenAi();
    auth = openai.auth();
    client = new CodexOAuthClient(system, upstream, settings(auth.tokenUrl(), Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() throws IOException {
    openai.close();
    upstream.close();
    system.terminate();
  }

  private static RelaySettings.Accounts.Codex settings(String tokenUrl, Duration timeout) {
    return new RelaySettings.Accounts.Codex(auth.authorizeUrl(), tokenUrl, CodexOAuth.CLIENT_ID, CodexOAuth.REDIRECT_URI,
        timeout, Duration.ofMinutes(10));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static OAuthException failure(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> stage.toCompletableFuture().get(20, TimeUnit.SECONDS));
    return assertInstanceOf(OAuthException.class, e.getCause());
  }

  @Test
  void exchangesACodeForTokensAndTheChatGptAccountOfTheIdToken() throws Exception {
    Pkce pkce = Pkce.generate();
    String code = auth.issueCode(pkce.challenge());
    long before = System.currentTimeMillis();
    OAuthTokens tokens = await(client.exchange(code, pkce.verifier(), null));
    assertEquals(auth.lastIssued().accessToken(), tokens.accessToken());
    assertEquals(auth.lastIssued().refreshToken(), tokens.refreshToken());
    assertEquals(MockOpenAi.ACCOUNT_ID, tokens.accountUuid());
    assertEquals(MockOpenAiAuth.EMAIL, tokens.email());
    assertTrue(tokens.expiresAt() >= before + MockOpenAiAuth.EXPIRES_IN * 1000
        && tokens.expiresAt() <= System.currentTimeMillis() + MockOpenAiAuth.EXPIRES_IN * 1000, "expires_in read");
    assertEquals("application/x-www-form-urlencoded",
        auth.contentTypes().get(auth.contentTypes().size() - 1).split(";")[0].strip());
  }

  @Test
  void aCodeWithTheWrongVerifierIsRefusedWithoutRepeatingIt() throws Exception {
    String code = auth.issueCode(Pkce.generate().challenge());
    OAuthException e = failure(client.exchange(code, Pkce.generate().verifier(), null));
    assertTrue(e.rejected(), "the endpoint refused the exchange itself");
    assertEquals("code exchange refused (400): invalid_grant", e.getMessage());
  }

  @Test
  void refreshRotatesTheRefreshTokenAndAReusedOneIsRejectedForGood() throws Exception {
    auth.acceptRefreshToken("rt_seed-one");
    OAuthTokens first = await(client.refresh(AccountType.CODEX_OAUTH, "rt_seed-one", null));
    assertNotEquals("rt_seed-one", first.refreshToken());
    assertEquals(MockOpenAi.ACCOUNT_ID, first.accountUuid());
    assertFalse(auth.refreshTokenLive("rt_seed-one"), "a refresh token is used once");

    OAuthTokens second = await(client.refresh(first.refreshToken(), null));
    assertNotEquals(first.refreshToken(), second.refreshToken());
    assertNotEquals(first.accessToken(), second.accessToken());

    OAuthException reused = failure(client.refresh(first.refreshToken(), null));
    assertTrue(reused.rejected(), "refresh_token_reused means log in again");
    assertEquals("token refresh refused (401): refresh_token_reused", reused.getMessage());
    assertFalse(reused.getMessage().contains(first.refreshToken()));
    assertEquals(List.of("rt_seed-one", first.refreshToken(), first.refreshToken()),
        auth.refreshTokensPresented().subList(auth.refreshTokensPresented().size() - 3,
            auth.refreshTokensPresented().size()));
    assertTrue(auth.contentTypes().stream().allMatch(t -> t.startsWith("application/x-www-form-urlencoded")));
  }

  @Test
  void anUnknownRefreshTokenIsRejectedNamingOnlyTheErrorCode() {
    OAuthException e = failure(client.refresh("rt_never-issued", null));
    assertTrue(e.rejected());
    assertEquals("token refresh refused (401): refresh_token_invalidated", e.getMessage());
  }

  @Test
  void aSlowOrUnreachableEndpointIsAPassingFailure() throws Exception {
    auth.acceptRefreshToken("rt_slow");
    auth.refreshDelay(1_500);
    try {
      CodexOAuthClient impatient = new CodexOAuthClient(system, upstream,
          settings(auth.tokenUrl(), Duration.ofMillis(300)));
      OAuthException slow = failure(impatient.refresh("rt_slow", null));
      assertFalse(slow.rejected(), "a timeout says nothing about the login");
      assertTrue(slow.getMessage().startsWith("token refresh: the ChatGPT token endpoint is unreachable"),
          slow.getMessage());
      assertFalse(slow.getMessage().contains("rt_slow"));
    } finally {
      auth.refreshDelay(0);
    }
    CodexOAuthClient nowhere = new CodexOAuthClient(system, upstream,
        settings("http://127.0.0.1:1/oauth/token", Duration.ofSeconds(5)));
    OAuthException down = failure(nowhere.refresh("rt_whatever", null));
    assertFalse(down.rejected());
    assertFalse(down.getMessage().contains("rt_whatever"));
  }

  @Test
  void callsGoThroughTheAccountsProxy() throws Exception {
    try (HttpConnectProxy proxy = new HttpConnectProxy()) {
      auth.acceptRefreshToken("rt_proxied");
      OAuthTokens tokens = await(client.refresh("rt_proxied", ProxySpec.parse("http://127.0.0.1:" + proxy.port())));
      assertEquals(MockOpenAi.ACCOUNT_ID, tokens.accountUuid());
      assertTrue(proxy.tunnels() >= 1, "the refresh went through the proxy");
    }
  }
}
