package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountPatch;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.GeminiOAuthClient;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.account.Credentials;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.Platforms;
import dev.relaycluster.upstream.gemini.CodeAssistPlatform;
import dev.relaycluster.upstream.gemini.GeminiApiPlatform;
import dev.relaycluster.upstream.openai.CodexPlatform;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.upstream.UpstreamFailures;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.Materializer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * Adds, lists, edits, pauses and deletes upstream accounts. Credentials are sealed here, before they
 * reach the entity, so they exist in plain text only for the length of the admin call.
 */
public final class AccountAdmin {
  static final String DEFAULT_CLAUDE_BASE_URL = "https://api.anthropic.com";
  static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com";
  /** The pools an account may serve, with the types each takes (as an error message lists them). */
  private static final Map<String, String> PLATFORMS = Map.of(
      "claude", "\"claude-console\", \"claude-oauth\" or \"bedrock\"",
      "openai", "\"openai-api\", \"codex-oauth\" or \"azure-openai\"",
      "gemini", "\"gemini-api\" or \"gemini-oauth\"",
      "droid", "\"droid-api\" or \"droid-oauth\"");

  private final ClusterSharding sharding;
  private final PoolView pool;
  private final CredentialVault vault;
  private final Duration askTimeout;
  private final UpstreamClient upstream;
  private final RelaySettings.Accounts settings;
  private final Materializer materializer;
  private final GeminiAccountSetup gemini;

  /** With a Google OAuth client of its own, made from {@code settings}. */
  private final AccountHistory history;

  public AccountAdmin(ActorSystem<?> system, PoolView pool, CredentialVault vault, Duration askTimeout,
      UpstreamClient upstream, RelaySettings.Accounts settings) {
    this(system, pool, vault, askTimeout, upstream, settings,
        new GeminiOAuthClient(system, upstream, settings.geminiOauth()));
  }

  /** {@code gemini} completes new gemini-oauth accounts (fresh token, project). */
  public AccountAdmin(ActorSystem<?> system, PoolView pool, CredentialVault vault, Duration askTimeout,
      UpstreamClient upstream, RelaySettings.Accounts settings, GeminiOAuthClient gemini) {
    this.sharding = ClusterSharding.get(system);
    this.history = new AccountHistory(system, pool);
    this.pool = pool;
    this.vault = vault;
    this.askTimeout = askTimeout;
    this.upstream = upstream;
    this.settings = settings;
    this.materializer = Materializer.matFromSystem(system);
    this.gemini = new GeminiAccountSetup(gemini);
  }

  /**
   * A new account from its definition and credentials. A gemini-oauth account's login is completed first
   * (see {@link GeminiAccountSetup}): without {@code projectId}, its project is found through Code Assist,
   * and nothing is created when it cannot be.
   */
  public CompletionStage<PoolEntry> create(JsonNode body) {
    try {
      String platform = AccountFields.text(body, "platform", "claude");
      if (!PLATFORMS.containsKey(platform)) {
        throw AdminInputException.invalid("platform: must be \"claude\", \"openai\", \"gemini\" or \"droid\"");
      }
      AccountType type = AccountType.fromWire(AccountFields.text(body, "type", ""))
          .filter(t -> t.platform().equals(platform))
          .orElseThrow(() -> AdminInputException.invalid("type: must be " + PLATFORMS.get(platform)));
      String name = AccountFields.required(body, "name");
      String baseUrl = CloudAccountInput.handles(type) ? CloudAccountInput.baseUrl(type, body)
          : AccountFields.baseUrl(AccountFields.text(body, "baseUrl", type == AccountType.GEMINI_OAUTH
          ? settings.geminiOauth().codeAssistBaseUrl() : defaultBaseUrl(type)));
      AccountOptions options = AccountOptions.parse(body);
      AccountSecrets given = secrets(type, body);
      CompletionStage<AccountSecrets> ready = type == AccountType.GEMINI_OAUTH
          ? gemini.complete(given, baseUrl, options.proxy()) : CompletableFuture.completedFuture(given);
      int priority = AccountFields.integer(body, "priority", 50, 0);
      int maxConcurrency = AccountFields.integer(body, "maxConcurrency", 0, 0);
      boolean paused = AccountFields.paused(body, false);
      return ready.thenCompose(complete -> {
        AccountSecrets secrets = options.proxy() == null ? complete : complete.withProxy(options.proxyUrl());
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        AccountDefinition definition = new AccountDefinition(id, name, type, baseUrl, priority, maxConcurrency, paused,
            vault.seal(id, secrets), now, now, options.groups(),
            options.priceMultiplier() == null ? 1.0 : options.priceMultiplier(), tier(type, options, body),
            options.proxy() == null ? null : options.proxy().display());
        return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, id)
            .<StatusReply<PoolEntry>>ask(r -> new AccountEntity.Create(definition, r), askTimeout)
            .thenApply(StatusReply::getValue)
            .thenApply(this::publishedHere);
      });
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The entity may live on another node: show the change on this node at once (read your writes). */
  PoolEntry publishedHere(PoolEntry entry) {
    pool.publish(entry);
    return entry;
  }

  public List<PoolEntry> list() {
    return pool.accounts().stream()
        .sorted(Comparator.comparingInt(PoolEntry::priority).thenComparingLong(PoolEntry::createdAt))
        .toList();
  }

  /** The account's health history from its journal, newest first ({@link AccountHistory}). */
  public CompletionStage<List<dev.relaycluster.account.HealthHistory.Entry>> history(String id) {
    return history.of(id);
  }

  public CompletionStage<PoolEntry> update(String id, JsonNode body) {
    try {
      PoolEntry current = pool.find(id).filter(e -> e.status() != dev.relaycluster.account.AccountStatus.DELETED)
          .orElseThrow(() -> AdminInputException.notFound("no account with id " + id));
      AccountOptions options = AccountOptions.parse(body);
      boolean newCredentials = body.has("apiKey") || body.has("accessToken") || body.has("refreshToken")
          || body.has("expiresAt") || body.has("credsJson") || body.has("authJson") || body.has("idToken")
          || body.has("chatgptAccountId")
          || CloudAccountInput.CREDENTIAL_FIELDS.stream().anyMatch(body::has);
      String project = null;
      if (body.has("projectId")) {
        if (current.type() != AccountType.GEMINI_OAUTH) {
          throw AdminInputException.invalid("projectId: only gemini-oauth accounts have a Google Cloud project");
        }
        project = GeminiTokenInput.projectId(body);
        project = project == null ? "" : project;
      }
      // The entity merges credentials, proxy and project into its current secrets (see AccountPatch).
      byte[] sealed = newCredentials ? vault.seal(id, secrets(current.type(), body)) : null;
      byte[] sealedProxy = options.changesProxy()
          ? vault.seal(id, new AccountSecrets(null, null, null, 0).withProxy(
              options.proxyUrl().isEmpty() ? null : options.proxyUrl()))
          : null;
      SubscriptionTier tier = newCredentials ? tier(current.type(), options, body) : options.tier();
      return patch(id, body, options, tier, sealed, sealedProxy, project);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletionStage<PoolEntry> patch(String id, JsonNode body, AccountOptions options, SubscriptionTier tier,
      byte[] sealed,
      byte[] sealedProxy, String project) {
    try {
      AccountPatch patch = new AccountPatch(
          body.has("name") ? AccountFields.required(body, "name") : null,
          body.has("baseUrl") || body.has("endpoint")
              ? AccountFields.baseUrl(AccountFields.text(body, "endpoint", AccountFields.text(body, "baseUrl", ""))) : null,
          body.has("priority") ? AccountFields.integer(body, "priority", 50, 0) : null,
          body.has("maxConcurrency") ? AccountFields.integer(body, "maxConcurrency", 0, 0) : null,
          body.has("paused") || body.has("status") || body.has("schedulable") ? AccountFields.paused(body, false) : null,
          sealed,
          System.currentTimeMillis(),
          options.groups(),
          options.priceMultiplier(),
          tier,
          options.proxyDisplay(),
          sealedProxy,
          project);
      return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, id)
          .<StatusReply<PoolEntry>>ask(r -> new AccountEntity.Update(patch, r), askTimeout)
          .thenApply(StatusReply::getValue)
          .thenApply(this::publishedHere);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  public CompletionStage<Done> delete(String id) {
    if (pool.find(id).filter(e -> e.status() != dev.relaycluster.account.AccountStatus.DELETED).isEmpty()) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no account with id " + id));
    }
    return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, id)
        .<StatusReply<Done>>ask(r -> new AccountEntity.Delete(System.currentTimeMillis(), r), askTimeout)
        .thenApply(StatusReply::getValue);
  }

  /** The account with what its entity knows right now (leases, recent errors). */
  public CompletionStage<AccountDetail> detail(String id) {
    PoolEntry entry = existing(id);
    if (entry == null) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no account with id " + id));
    }
    return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, id)
        .<AccountEntity.AccountStatusReply>ask(AccountEntity.GetStatus::new, askTimeout)
        .thenApply(s -> new AccountDetail(pool.find(id).orElse(entry), s.leasesInFlight(), s.lastUsedAt(),
            s.recentErrors(), s.projectId(), s.quota(), s.settings()));
  }

  /** Clears cooldowns, a block and an unauthorized mark. */
  public CompletionStage<PoolEntry> reset(String id) {
    if (existing(id) == null) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no account with id " + id));
    }
    return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, id)
        .<StatusReply<PoolEntry>>ask(r -> new AccountEntity.ResetHealth(System.currentTimeMillis(), r), askTimeout)
        .thenApply(StatusReply::getValue)
        .thenApply(this::publishedHere);
  }

  /**
   * Sends a one-token request through the account (its credentials, refreshed if due, and its proxy),
   * reports the answer to the account like any request, and says what upstream answered and how fast.
   */
  public CompletionStage<AccountTestResult> test(String id) {
    if (existing(id) == null) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no account with id " + id));
    }
    var ref = sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, id);
    return ref.<AccountEntity.AcquireReply>ask(AccountEntity.Borrow::new, askTimeout.plus(settings.oauth().timeout()))
        .thenCompose(reply -> {
          if (!(reply instanceof AccountEntity.Granted granted)) {
            return CompletableFuture.completedFuture(new AccountTestResult(id, false, 0, 0,
                ((AccountEntity.Unavailable) reply).reason()));
          }
          AccountDefinition d = granted.account();
          Credential credential = Credentials.open(vault, d);
          Platform platform = Platforms.standard().of(d.type().wireName());
          // The configured test model is a Claude model; other pools use their platform's cheapest.
          String model = d.type().platform().equals("claude") ? settings.testModel() : platform.probeModel();
          HttpRequest request = platform.request(platform.probe(model), credential);
          long started = System.nanoTime();
          return upstream.send(request, credential.proxy())
              .thenCompose(response -> response.entity().toStrict(settings.oauth().timeout().toMillis(), 1 << 20,
                      materializer)
                  .thenApply(strict -> {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    int status = response.status().intValue();
                    AnswerVerdict verdict = platform.classify(status, platform.healthHeaders(response),
                        status < 300 ? null : strict.getData().toArray(), System.currentTimeMillis());
                    ref.tell(AccountEntity.Report.of(null, verdict, false, platform.modelFamily(model)));
                    return new AccountTestResult(id, status < 300, status, ms, status < 300 ? "ok" : verdict.message());
                  }))
              .exceptionally(t -> {
                long ms = (System.nanoTime() - started) / 1_000_000;
                String why = UpstreamFailures.describe(t);
                ref.tell(AccountEntity.Report.of(null, AnswerVerdict.unreachable(why), false, null));
                return new AccountTestResult(id, false, 0, ms, why);
              });
        });
  }

  private PoolEntry existing(String id) {
    return pool.find(id).filter(e -> e.status() != dev.relaycluster.account.AccountStatus.DELETED).orElse(null);
  }

  /** The tier the admin gave; else, for ChatGPT tokens, the plan their id token names (null: keep / unknown). */
  private static SubscriptionTier tier(AccountType type, AccountOptions options, JsonNode body) {
    if (options.tier() != null || type != AccountType.CODEX_OAUTH) {
      return options.tier();
    }
    return CodexTokenInput.plan(body);
  }

  /**
   * The secrets of a new account, or of an edit: an edit may send only the fields it changes, but the
   * old secrets are not readable here, so an edit must send the whole credential of its type.
   */
  private static AccountSecrets secrets(AccountType type, JsonNode body) {
    if (CloudAccountInput.handles(type)) {
      return CloudAccountInput.secrets(type, body);
    }
    if (!type.oauth()) {
      return new AccountSecrets(AccountFields.required(body, "apiKey"), null, null, 0);
    }
    if (type == AccountType.CODEX_OAUTH) {
      return CodexTokenInput.secrets(body);
    }
    if (type == AccountType.GEMINI_OAUTH) {
      return GeminiTokenInput.read(body).secrets();
    }
    String access = AccountFields.required(body, "accessToken");
    String refresh = AccountFields.text(body, "refreshToken", null);
    long expiresAt = body.has("expiresAt") ? AccountFields.expiresAt(body.get("expiresAt")) : 0;
    return new AccountSecrets(null, access, refresh, expiresAt);
  }

  public static String defaultBaseUrl(AccountType type) {
    return switch (type) {
      case CLAUDE_CONSOLE, CLAUDE_OAUTH -> DEFAULT_CLAUDE_BASE_URL;
      case OPENAI_API -> DEFAULT_OPENAI_BASE_URL;
      case CODEX_OAUTH -> CodexPlatform.DEFAULT_BASE_URL;
      case GEMINI_API -> GeminiApiPlatform.DEFAULT_BASE_URL;
      case GEMINI_OAUTH -> CodeAssistPlatform.DEFAULT_BASE_URL;
      case DROID_API, DROID_OAUTH -> CloudAccountInput.DROID_BASE_URL;
      // Their base URL comes from the account's region or endpoint (CloudAccountInput.baseUrl).
      case BEDROCK, AZURE_OPENAI -> null;
    };
  }
}
