package dev.relaycluster.config;

import com.typesafe.config.Config;
import dev.relaycluster.protocol.oauth.CodexOAuth;
import dev.relaycluster.protocol.oauth.GoogleOAuth;
import dev.relaycluster.store.DbSettings;
import dev.relaycluster.store.RedisSettings;
import dev.relaycluster.store.StorageSettings;
import java.nio.file.Path;
import java.time.Duration;

/** The node's typed configuration, read once from the {@code relay} block of the HOCON config. */
public record RelaySettings(
    String host,
    int port,
    Path dataDir,
    String encryptionKey,
    String nodeName,
    Db db,
    Redis redis,
    Admin admin,
    Http http,
    Upstream upstream,
    Duration sessionTtl,
    int sessionShards,
    Pricing pricing,
    int usageTagPartitions,
    Cluster cluster,
    Drain drain,
    Keys keys,
    Accounts accounts,
    Alerts alerts,
    Ledger ledger,
    MetricsSettings metrics) implements StorageSettings {

  /**
   * Prices: {@code file} empty means the bundled LiteLLM table, else a LiteLLM-format file merged over it
   * and re-read when it changes (checked every {@code reloadInterval}); unknown models are priced as
   * {@code fallbackModel} (the built-in $3/$15 price when that is blank or unknown) and flagged;
   * {@code serviceRates} are the global per-pool multipliers for rated cost (pool → rate, 1 when absent).
   */
  public record Pricing(String file, java.util.Map<String, Double> serviceRates, String fallbackModel,
      Duration reloadInterval) {
    public Pricing(String file, java.util.Map<String, Double> serviceRates) {
      this(file, serviceRates, "", Duration.ofSeconds(30));
    }

    public double serviceRate(String pool) {
      return serviceRates.getOrDefault(pool, 1.0);
    }

    static Pricing from(Config c) {
      java.util.Map<String, Double> rates = new java.util.TreeMap<>();
      Config r = c.getConfig("service-rates");
      for (String pool : r.root().keySet()) {
        double rate = r.getDouble(pool);
        if (!(rate >= 0) || Double.isInfinite(rate)) {
          throw new com.typesafe.config.ConfigException.BadValue("relay.pricing.service-rates." + pool,
              "must be a number >= 0");
        }
        rates.put(pool, rate);
      }
      return new Pricing(c.getString("file"), java.util.Map.copyOf(rates), c.getString("fallback-model"),
          c.getDuration("reload-interval"));
    }
  }

  /**
   * API-key policy: custom client patterns (kind → regular expressions) added to the built-in ones, and
   * the zone whose days and weeks the daily cost and weekly Opus limits count in.
   */
  public record Keys(java.util.Map<String, java.util.List<String>> clientPatterns, java.time.ZoneId dayZone) {
    static Keys from(Config c) {
      java.util.Map<String, java.util.List<String>> patterns = new java.util.TreeMap<>();
      Config p = c.getConfig("client-patterns");
      for (String kind : p.root().keySet()) {
        patterns.put(kind, p.getStringList(kind));
      }
      java.time.ZoneId zone;
      try {
        zone = java.time.ZoneId.of(c.getString("day-zone"));
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException("relay.keys.day-zone is not a time zone: " + c.getString("day-zone"), e);
      }
      return new Keys(java.util.Map.copyOf(patterns), zone);
    }
  }

  /**
   * Upstream account health and OAuth (issue 5): how early OAuth tokens are refreshed, the largest share
   * of a pool that transient cooldowns may take out, the cooldown lengths, the bounded error history,
   * the model of the admin's test request, the Claude OAuth endpoints, the ChatGPT (Codex) ones and the
   * Google (gemini-oauth) ones.
   */
  public record Accounts(Duration refreshAhead, double maxCoolingShare, Cooldowns cooldowns, int recentErrors,
      String testModel, OAuth oauth, Codex codexOauth, GeminiOAuth geminiOauth) {

    /** Settings made before codex-oauth logins existed: the ChatGPT endpoints at their defaults. */
    public Accounts(Duration refreshAhead, double maxCoolingShare, Cooldowns cooldowns, int recentErrors,
        String testModel, OAuth oauth) {
      this(refreshAhead, maxCoolingShare, cooldowns, recentErrors, testModel, oauth, Codex.DEFAULTS);
    }

    /** Settings made before gemini-oauth logins existed: Google's endpoints, and no client (not configured). */
    public Accounts(Duration refreshAhead, double maxCoolingShare, Cooldowns cooldowns, int recentErrors,
        String testModel, OAuth oauth, Codex codexOauth) {
      this(refreshAhead, maxCoolingShare, cooldowns, recentErrors, testModel, oauth, codexOauth,
          GeminiOAuth.UNCONFIGURED);
    }

    /** Cooldown lengths per error class; {@code rateLimitMax} caps a reset time read from upstream. */
    public record Cooldowns(Duration rateLimited, Duration rateLimitMax, Duration overloaded, Duration serverError,
        Duration unreachable) {}

    /** Claude OAuth: authorize page, token and profile endpoints, client id, redirect, pending-login TTL. */
    public record OAuth(String authorizeUrl, String tokenUrl, String profileUrl, String clientId, String redirectUri,
        Duration sessionTtl, Duration timeout) {}

    /**
     * ChatGPT (Codex) OAuth, {@code relay.accounts.codex-oauth}: authorize page, token endpoint, client id,
     * redirect, the longest wait for the token endpoint, and how long a generated login URL stays usable.
     */
    public record Codex(String authorizeUrl, String tokenUrl, String clientId, String redirectUri, Duration timeout,
        Duration sessionTtl) {
      /** The Codex CLI's own endpoints and client. */
      public static final Codex DEFAULTS = new Codex(CodexOAuth.AUTHORIZE_ENDPOINT, CodexOAuth.TOKEN_ENDPOINT,
          CodexOAuth.CLIENT_ID, CodexOAuth.REDIRECT_URI, Duration.ofSeconds(30), Duration.ofMinutes(10));

      static Codex from(Config c) {
        return new Codex(c.getString("authorize-url"), c.getString("token-url"), c.getString("client-id"),
            c.getString("redirect-uri"), c.getDuration("timeout"), c.getDuration("session-ttl"));
      }
    }

    /**
     * Google OAuth for gemini-oauth accounts, {@code relay.accounts.gemini-oauth}: the OAuth client (id and
     * secret only from the environment, {@code GEMINI_OAUTH_CLIENT_ID} / {@code GEMINI_OAUTH_CLIENT_SECRET};
     * empty: logins and refreshes fail with a clear error), the authorize, token and userinfo endpoints, the
     * Code Assist base URL project discovery and quota calls go to when the account names none, the redirect
     * (the page that shows the code to paste back), the longest wait for one call, how long a generated
     * login URL stays usable, how often an account in use fetches its quota, and the onboarding poll
     * (interval and most polls).
     */
    public record GeminiOAuth(String clientId, String clientSecret, String authorizeUrl, String tokenUrl,
        String userinfoUrl, String codeAssistBaseUrl, String redirectUri, Duration timeout, Duration sessionTtl,
        Duration quotaInterval, Duration onboardPollInterval, int onboardMaxPolls) {
      /** Google's endpoints without a client: usable for nothing that needs the client. */
      public static final GeminiOAuth UNCONFIGURED = new GeminiOAuth("", "", GoogleOAuth.AUTHORIZE_ENDPOINT,
          GoogleOAuth.TOKEN_ENDPOINT, GoogleOAuth.USERINFO_ENDPOINT, "https://cloudcode-pa.googleapis.com",
          GoogleOAuth.REDIRECT_URI, Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(5),
          Duration.ofSeconds(5), 12);

      /** Whether both the client id and the client secret are set. */
      public boolean configured() {
        return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isBlank();
      }

      static GeminiOAuth from(Config c) {
        return new GeminiOAuth(c.getString("client-id").strip(), c.getString("client-secret").strip(),
            c.getString("authorize-url"), c.getString("token-url"), c.getString("userinfo-url"),
            c.getString("code-assist-base-url"), c.getString("redirect-uri"), c.getDuration("timeout"),
            c.getDuration("session-ttl"), c.getDuration("quota-interval"), c.getDuration("onboard-poll-interval"),
            c.getInt("onboard-max-polls"));
      }

      @Override
      public String toString() {
        return "GeminiOAuth[clientId=" + (clientId == null || clientId.isBlank() ? "-" : "set") + ", clientSecret="
            + (clientSecret == null || clientSecret.isBlank() ? "-" : "****") + ", authorizeUrl=" + authorizeUrl
            + ", tokenUrl=" + tokenUrl + ", userinfoUrl=" + userinfoUrl + ", codeAssistBaseUrl=" + codeAssistBaseUrl
            + ", redirectUri=" + redirectUri + ", timeout=" + timeout + ", sessionTtl=" + sessionTtl
            + ", quotaInterval=" + quotaInterval + "]";
      }
    }

    public static Accounts from(Config c) {
      Config cd = c.getConfig("cooldowns");
      Config o = c.getConfig("oauth");
      double share = c.getDouble("max-cooling-share");
      if (share < 0 || share > 1) {
        throw new com.typesafe.config.ConfigException.BadValue("relay.accounts.max-cooling-share",
            "must be between 0 and 1");
      }
      return new Accounts(c.getDuration("refresh-ahead"), share,
          new Cooldowns(cd.getDuration("rate-limited"), cd.getDuration("rate-limit-max"), cd.getDuration("overloaded"),
              cd.getDuration("server-error"), cd.getDuration("unreachable")),
          c.getInt("recent-errors"), c.getString("test-model"),
          new OAuth(o.getString("authorize-url"), o.getString("token-url"), o.getString("profile-url"),
              o.getString("client-id"), o.getString("redirect-uri"), o.getDuration("session-ttl"),
              o.getDuration("timeout")),
          Codex.from(c.getConfig("codex-oauth")), GeminiOAuth.from(c.getConfig("gemini-oauth")));
    }
  }

  /**
   * Account alerts: delivery to the webhook targets (issue 5). Attempts per alert and target, the
   * back-off between them (doubling from initial to max), the time one attempt may take, and how
   * long a node reuses the target list it read from the database.
   */
  public record Alerts(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout,
      Duration targetsCacheTtl) {
    static Alerts from(Config c) {
      return new Alerts(c.getInt("max-attempts"), c.getDuration("initial-backoff"), c.getDuration("max-backoff"),
          c.getDuration("request-timeout"), c.getDuration("targets-cache-ttl"));
    }
  }

  /**
   * The usage ledger's read side: day and month boundaries of the aggregates in {@code zone}; request-log
   * rows older than {@code requestLogRetention} are deleted every {@code retentionInterval} (aggregates
   * and the journal are kept); dashboards list the {@code topN} biggest keys and models.
   */
  public record Ledger(java.time.ZoneId zone, Duration requestLogRetention, Duration retentionInterval, int topN) {
    static Ledger from(Config c) {
      return new Ledger(java.time.ZoneId.of(c.getString("zone")), c.getDuration("request-log-retention"),
          c.getDuration("retention-interval"), c.getInt("top-n"));
    }
  }

  /** How this node finds its cluster: seed addresses, Kubernetes bootstrap, or itself alone. */
  public record Cluster(java.util.List<String> seedNodes, String bootstrap, boolean management) {
    public boolean kubernetesBootstrap() {
      return "kubernetes-api".equals(bootstrap);
    }

    public boolean joinsItself() {
      return seedNodes.isEmpty() && !kubernetesBootstrap();
    }
  }

  /** Graceful shutdown: how long balancers get to notice, and how long in-flight streams get to finish. */
  public record Drain(Duration balancerGrace, Duration deadline) {}

  /** Storage: an empty url means the embedded H2 file journal under the data directory. */
  public record Db(String url, String user, String password, int poolSize) implements DbSettings {
    @Override
    public boolean embedded() {
      return url.isBlank();
    }
  }

  /**
   * The shared TTL store: an empty host means the in-process store. {@code commandTimeout} bounds one
   * command; after {@code circuitMaxFailures} failures in a row the store fails fast for
   * {@code circuitResetTimeout}, then tries one command again.
   */
  public record Redis(String host, int port, String password, int database, String keyPrefix,
      Duration commandTimeout, int circuitMaxFailures, Duration circuitResetTimeout) implements RedisSettings {
    public Redis(String host, int port, String password, int database, String keyPrefix) {
      this(host, port, password, database, keyPrefix, Duration.ofSeconds(2), 3, Duration.ofSeconds(10));
    }

    public boolean enabled() {
      return !host.isBlank();
    }
  }

  public record Admin(
      String username, String password, Duration sessionTtl, int maxFailedLogins, Duration failedLoginWindow) {}

  public record Http(long maxBodySize, Duration askTimeout) {}

  public record Upstream(
      Duration connectTimeout,
      Duration responseTimeout,
      Duration idleTimeout,
      Duration bodyTimeout,
      long maxResponseSize,
      int maxAccountAttempts,
      Client client,
      Duration firstByteTimeout) {
    /** Which client calls upstream when an account has no outbound proxy (proxied calls always use pekko-http). */
    public enum Client { DIRECT, PEKKO }

    public Upstream(Duration connectTimeout, Duration responseTimeout, Duration idleTimeout, Duration bodyTimeout,
        long maxResponseSize, int maxAccountAttempts) {
      this(connectTimeout, responseTimeout, idleTimeout, bodyTimeout, maxResponseSize, maxAccountAttempts,
          Client.DIRECT, Duration.ZERO);
    }

    public Upstream(Duration connectTimeout, Duration responseTimeout, Duration idleTimeout, Duration bodyTimeout,
        long maxResponseSize, int maxAccountAttempts, Client client) {
      this(connectTimeout, responseTimeout, idleTimeout, bodyTimeout, maxResponseSize, maxAccountAttempts, client,
          Duration.ZERO);
    }
  }

  private static Upstream.Client upstreamClient(String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "direct" -> Upstream.Client.DIRECT;
      case "pekko", "pekko-http" -> Upstream.Client.PEKKO;
      default -> throw new IllegalArgumentException(
          "relay.upstream.client must be direct or pekko-http, not '" + value + "'");
    };
  }

  public static RelaySettings from(Config root) {
    Config c = root.getConfig("relay");
    Config db = c.getConfig("db");
    Config redis = c.getConfig("redis");
    Config admin = c.getConfig("admin");
    Config http = c.getConfig("http");
    Config up = c.getConfig("upstream");
    return new RelaySettings(
        c.getString("host"),
        c.getInt("port"),
        Path.of(c.getString("data-dir")).toAbsolutePath().normalize(),
        c.getString("encryption-key"),
        c.getString("node-name"),
        new Db(db.getString("url"), db.getString("user"), db.getString("password"), db.getInt("pool-size")),
        new Redis(
            redis.getString("host"),
            redis.getInt("port"),
            redis.getString("password"),
            redis.getInt("database"),
            redis.getString("key-prefix"),
            redis.getDuration("command-timeout"),
            redis.getInt("circuit.max-failures"),
            redis.getDuration("circuit.reset-timeout")),
        new Admin(
            admin.getString("username"),
            admin.getString("password"),
            admin.getDuration("session-ttl"),
            admin.getInt("max-failed-logins"),
            admin.getDuration("failed-login-window")),
        new Http(http.getBytes("max-body-size"), http.getDuration("ask-timeout")),
        new Upstream(
            up.getDuration("connect-timeout"),
            up.getDuration("response-timeout"),
            up.getDuration("idle-timeout"),
            up.getDuration("body-timeout"),
            up.getBytes("max-response-size"),
            up.getInt("max-account-attempts"),
            upstreamClient(up.getString("client")),
            up.getDuration("first-byte-timeout")),
        c.getDuration("session.ttl"),
        sessionShards(c.getInt("session.shards")),
        Pricing.from(c.getConfig("pricing")),
        c.getInt("usage.tag-partitions"),
        new Cluster(
            java.util.Arrays.stream(c.getString("cluster.seed-nodes").split(","))
                .map(String::strip).filter(x -> !x.isEmpty()).toList(),
            c.getString("cluster.bootstrap"),
            c.getBoolean("cluster.management")),
        new Drain(c.getDuration("drain.balancer-grace"), c.getDuration("drain.deadline")),
        Keys.from(c.getConfig("keys")),
        Accounts.from(c.getConfig("accounts")),
        Alerts.from(c.getConfig("alerts")),
        Ledger.from(c.getConfig("ledger")),
        MetricsSettings.from(root));
  }

  private static int sessionShards(int shards) {
    if (shards < 1) {
      throw new com.typesafe.config.ConfigException.BadValue("relay.session.shards", "must be at least 1");
    }
    return shards;
  }
}
