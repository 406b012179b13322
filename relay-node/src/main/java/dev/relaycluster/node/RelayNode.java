package dev.relaycluster.node;

import dev.relaycluster.cluster.CborMapperFactory;
import dev.relaycluster.cluster.LeaseBook;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.config.PaceSettings;
import dev.relaycluster.config.RelaySettings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountServices;
import dev.relaycluster.account.ClaudeOAuthClient;
import dev.relaycluster.account.CodexOAuthClient;
import dev.relaycluster.account.GeminiOAuthClient;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.AccountPace;
import dev.relaycluster.account.PaceBoard;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.admin.AccountAdmin;
import dev.relaycluster.admin.CodexOAuthAdmin;
import dev.relaycluster.admin.GeminiOAuthAdmin;
import dev.relaycluster.admin.OAuthAccountAdmin;
import dev.relaycluster.alerts.AlertSink;
import dev.relaycluster.admin.AdminSessions;
import dev.relaycluster.admin.AdminUsers;
import dev.relaycluster.admin.ClusterAdmin;
import dev.relaycluster.admin.KeyAdmin;
import dev.relaycluster.admin.WebhookAdmin;
import dev.relaycluster.alerts.AlertDelivery;
import dev.relaycluster.alerts.AlertSink;
import dev.relaycluster.alerts.WebhookAlertSink;
import dev.relaycluster.alerts.WebhookTargetStore;
import dev.relaycluster.admin.KeySettingsInput;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.ClientPaths;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.http.AdminRoutes;
import dev.relaycluster.http.ClientRequests;
import dev.relaycluster.http.ModelLists;
import dev.relaycluster.http.HealthRoutes;
import dev.relaycluster.http.KeyUsageRoutes;
import dev.relaycluster.http.OpenApiRoute;
import dev.relaycluster.http.RelayRoutes;
import dev.relaycluster.http.WebhookRoutes;
import dev.relaycluster.protocol.client.ClientRecognizer;
import dev.relaycluster.protocol.pricing.PriceTable;
import dev.relaycluster.relay.RelayFlow;
import dev.relaycluster.relay.TraceBook;
import dev.relaycluster.tracing.RelayTracing;
import dev.relaycluster.relay.SocketRelay;
import dev.relaycluster.http.ResponsesSocketRoute;
import dev.relaycluster.upstream.Platforms;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.TokenRefresher;
import dev.relaycluster.account.TokenRefreshers;
import dev.relaycluster.relay.UsageRecords;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.session.SessionEntity;
import dev.relaycluster.session.SessionShardPlacement;
import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.EncryptionCheck;
import dev.relaycluster.store.EncryptionKeySource;
import dev.relaycluster.store.GuardedTtlStore;
import dev.relaycluster.store.InMemoryTtlStore;
import dev.relaycluster.store.JournalIndexes;
import dev.relaycluster.store.PasswordHasher;
import dev.relaycluster.store.RedisTtlStore;
import dev.relaycluster.store.SchemaSetup;
import dev.relaycluster.store.StorageProfile;
import dev.relaycluster.store.TtlStore;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.usage.RequestLogTable;
import dev.relaycluster.usage.UsageProjection;
import dev.relaycluster.usage.UsageQueries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one node, in order: settings, storage profile and encryption key, the actor system and
 * cluster membership, the schema, the TTL store, the replicated directories (rebuilt from the
 * journal), sharded entities, the usage projection, the admin account, and last the HTTP server.
 */
public final class RelayNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayNode.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final RelaySettings settings;
  private final Optional<Path> credentialsFile;

  private RelayNode(ActorSystem<Void> system, ServerBinding binding, RelaySettings settings,
      Optional<Path> credentialsFile) {
    this.system = system;
    this.binding = binding;
    this.settings = settings;
    this.credentialsFile = credentialsFile;
  }

  public static RelayNode start(Config base) {
    StartupPhases phases = new StartupPhases();
    RelaySettings settings = RelaySettings.from(base);
    StorageProfile profile = StorageProfile.from(settings);
    try {
      Files.createDirectories(settings.dataDir());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the data directory " + settings.dataDir(), e);
    }
    String secret = EncryptionKeySource.resolve(settings.encryptionKey(), settings.db().embedded(), settings.dataDir());
    Config config = profile.persistenceConfig().withFallback(ClusterMembership.clusterConfig(settings))
        .withFallback(base);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "relay",
        ActorSystemSetup.create(BootstrapSetup.create(config), CborMapperFactory.setup()));
    phases.mark("actor system");
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      ClusterMembership.joinCluster(system, settings.cluster());
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("relay-blocking-dispatcher"));
      Database database = Database.open(profile, blocking);
      resources.add(database);
      List<String> tables = new ArrayList<>();
      tables.addAll(RequestLogTable.ddl());
      tables.addAll(dev.relaycluster.usage.AggregateTable.ddl());
      tables.addAll(AdminUsers.ddl());
      tables.addAll(dev.relaycluster.admin.AdminAudit.ddl());
      tables.addAll(dev.relaycluster.admin.oidc.OidcAdmins.ddl());
      tables.addAll(dev.relaycluster.admin.Branding.ddl());
      tables.addAll(dev.relaycluster.admin.ModelMaps.ddl());
      tables.addAll(EncryptionCheck.ddl());
      tables.addAll(JournalIndexes.ddl());
      tables.addAll(WebhookTargetStore.ddl());
      phases.mark("database");
      SchemaSetup.run(system, database, tables, STARTUP_TIMEOUT);
      phases.mark("schema");
      CredentialCipher cipher = CredentialCipher.fromSecret(secret);
      EncryptionCheck.verify(database, cipher);
      TtlStore ttlStore = settings.redis().enabled()
          ? new GuardedTtlStore(RedisTtlStore.connect(settings.redis()), system.classicSystem().scheduler(),
              settings.redis().circuitMaxFailures(), settings.redis().commandTimeout(),
              settings.redis().circuitResetTimeout())
          : new InMemoryTtlStore();
      resources.add(ttlStore);
      dev.relaycluster.usage.PriceBook priceBook = dev.relaycluster.usage.PriceBook.load(settings.pricing());
      PriceTable prices = priceBook.current();
      WebhookTargetStore alertTargets = new WebhookTargetStore(database, cipher, settings.alerts().targetsCacheTtl());
      AlertDelivery alertDelivery = new AlertDelivery(settings.alerts());
      resources.add(alertDelivery);
      // Account entities raise their alerts here (unauthorized, blocked, rate limited, recovered, …).
      AlertSink alerts = new WebhookAlertSink(alertTargets, alertDelivery);

      KeyDirectory keys = new KeyDirectory(ReplicatedView.<KeyEntry>start(system, "key-directory"),
          dev.relaycluster.apikey.LegacySalt.opener(cipher));
      PoolView pool = new PoolView(ReplicatedView.<PoolEntry>start(system, "pool-view"), new PaceBoard(
          PaceSettings.from(system.settings().config()), Cluster.get(system).selfMember().address().toString(),
          ReplicatedView.<AccountPace>start(system, "account-pace")));
      LastUsedClock clock = new LastUsedClock();
      ApiKeyEntity.init(system, keys, settings.usageTagPartitions(), java.time.Clock.systemUTC(),
          settings.keys().dayZone());
      dev.relaycluster.relay.UsageRedelivery.get(system); // usage kept on disk before this start is sent again
      CredentialVault vault = new CredentialVault(cipher);
      UpstreamClient upstream = new UpstreamClient(system, settings.upstream());
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "close-direct-upstream", () -> {
        upstream.close();
        return java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
      });
      ClaudeOAuthClient oauth = new ClaudeOAuthClient(system, upstream, settings.accounts().oauth());
      CodexOAuthClient codexOauth = new CodexOAuthClient(system, upstream, settings.accounts().codexOauth());
      GeminiOAuthClient geminiOauth = new GeminiOAuthClient(system, upstream, settings.accounts().geminiOauth());
      dev.relaycluster.account.DroidOAuthClient droidOauth = new dev.relaycluster.account.DroidOAuthClient(system,
          upstream, dev.relaycluster.config.DroidOAuthSettings.from(base));
      TokenRefresher refreshers = new TokenRefreshers().with(AccountType.CLAUDE_OAUTH, oauth)
          .with(AccountType.CODEX_OAUTH, codexOauth).with(AccountType.GEMINI_OAUTH, geminiOauth)
          .with(AccountType.DROID_OAUTH, droidOauth);
      // gemini-oauth accounts in use read their Code Assist quota in the background.
      AccountEntity.init(system, new AccountServices(pool, vault, refreshers, alerts, settings.accounts(), geminiOauth));
      SessionShardPlacement.placeAll(SessionEntity.init(system, pool, clock, ttlStore, settings.sessionTtl(),
          settings.accounts().maxCoolingShare(), settings.sessionShards()), settings.sessionShards());
      phases.mark("stores and prices");
      int loaded = loadDirectories(system, database, keys, pool);
      phases.mark("directories");
      UsageProjection.init(system, database, settings.usageTagPartitions(), settings.ledger());
      dev.relaycluster.usage.LedgerMaintenance ledger = new dev.relaycluster.usage.LedgerMaintenance(
          system, database, settings.usageTagPartitions(), settings.ledger(), priceBook);
      dev.relaycluster.usage.RequestLogRetention.init(system, ledger, settings.ledger().retentionInterval());
      if (priceBook.overrideFile() != null) {
        system.scheduler().scheduleWithFixedDelay(settings.pricing().reloadInterval(),
            settings.pricing().reloadInterval(), priceBook::reloadIfChanged,
            system.dispatchers().lookup(DispatcherSelector.fromConfig("relay-blocking-dispatcher")));
      }

      // The operator's model map (issue 20): the admin's saved map, re-read every 10 s, else relay.models.
      dev.relaycluster.admin.ModelMaps modelMaps = new dev.relaycluster.admin.ModelMaps(database,
          dev.relaycluster.config.ModelMapSettings.from(base));
      modelMaps.reload().toCompletableFuture().get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      system.scheduler().scheduleWithFixedDelay(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(10),
          modelMaps::reload, system.dispatchers().lookup(
              DispatcherSelector.fromConfig("relay-blocking-dispatcher")));

      PasswordHasher hasher = new PasswordHasher();
      AdminUsers adminUsers = new AdminUsers(database);
      phases.mark("projections");
      Optional<Path> credentials = new dev.relaycluster.admin.AdminBootstrap(database, hasher).run(
          settings.admin().username(), settings.admin().password(), settings.dataDir());
      dev.relaycluster.admin.AdminSettings adminSettings = new dev.relaycluster.admin.AdminSettings(database);
      dev.relaycluster.admin.TwoFactorAdmin twoFactor = new dev.relaycluster.admin.TwoFactorAdmin(adminUsers,
          new dev.relaycluster.admin.TotpRecords(database, cipher), hasher, blocking);
      AdminSessions adminSessions = new AdminSessions(adminUsers, adminSettings, twoFactor, hasher, ttlStore,
          settings.admin(), blocking);
      dev.relaycluster.admin.AdminAudit adminAudit = new dev.relaycluster.admin.AdminAudit(database);

      LeaseBook leaseBook = new LeaseBook();
      ActorRef<LeaseHolder.Command> leaseHolder =
          system.systemActorOf(LeaseHolder.create(leaseBook), "lease-holder", Props.empty());
      Materializer materializer = Materializer.matFromSystem(system);
      ClientRecognizer clients = ClientRecognizer.withCustom(settings.keys().clientPatterns());
      UsageRecords usageRecords = new UsageRecords(priceBook, clients, settings.pricing());
      RelayTracing tracing = RelayTracing.fromEnvironment(System.getenv(),
          system.settings().config().getBoolean("relay.tracing.propagate-upstream"));
      resources.add(tracing);
      if (tracing.enabled()) {
        log.info("OpenTelemetry tracing is on (OTEL_* variables); trace context passed upstream: {}",
            system.settings().config().getBoolean("relay.tracing.propagate-upstream"));
      }
      TraceBook traces = new TraceBook(system, Cluster.get(system).selfMember().address().hostPort(),
          system.settings().config().getInt("relay.trace.capacity"),
          system.settings().config().getInt("relay.trace.notable-capacity"), pool, clock,
          settings.accounts().maxCoolingShare(), settings.http().askTimeout(), tracing);
      RelayFlow relay = new RelayFlow(system, pool, clock, vault, upstream, usageRecords, settings, leaseHolder,
          leaseBook, Platforms.standard(), traces, NodeConversions.standard(), ttlStore);
      dev.relaycluster.apikey.MappedModelRouter modelRouter =
          new dev.relaycluster.apikey.MappedModelRouter(modelMaps::current);
      ClientRequests clientRequests = new ClientRequests(keys, relay, priceBook, settings, materializer,
          NodeDrain.get(system), clients, dev.relaycluster.metrics.RelayMetrics.get(system),
          modelRouter, dev.relaycluster.http.TrustedProxies.from(system.settings().config()));
      SocketRelay sockets = new SocketRelay(system, relay, pool, clock, vault, upstream, usageRecords, settings,
          leaseHolder, Platforms.standard());
      Route metrics = NodeMetrics.start(system, settings, pool, database);
      Route routes = dev.relaycluster.http.NodeRoutes.of(
          new HealthRoutes(system, database, ttlStore).route().orElse(metrics).orElse(new OpenApiRoute().route()),
          new AdminRoutes(
              adminSessions,
              new AccountAdmin(system, pool, vault, settings.http().askTimeout(), upstream, settings.accounts(),
                  geminiOauth),
              new OAuthAccountAdmin(system, ttlStore, vault, oauth, settings.http().askTimeout(), pool),
              new CodexOAuthAdmin(system, ttlStore, vault, codexOauth, settings.http().askTimeout(), pool),
              new GeminiOAuthAdmin(system, ttlStore, vault, geminiOauth, settings.http().askTimeout(), pool),
              new KeyAdmin(system, keys, settings.http().askTimeout(), new KeySettingsInput(clientKinds(settings))),
              new dev.relaycluster.http.UsageRoutes(new dev.relaycluster.admin.UsageAdmin(
                  new UsageQueries(database, settings.ledger().zone()), ledger, priceBook, settings.ledger().zone(),
                  settings.ledger().topN()), materializer),
              new ClusterAdmin(system, pool, settings.http().askTimeout()),
              new WebhookRoutes(new WebhookAdmin(alertTargets, alertDelivery), materializer),
              materializer, dev.relaycluster.http.TrustedProxies.from(system.settings().config()),
              new dev.relaycluster.admin.RequestTraces(traces, new UsageQueries(database, settings.ledger().zone())),
              new dev.relaycluster.http.AdminUserRoutes(new dev.relaycluster.admin.AdminManagement(adminUsers,
                  adminSettings, hasher, blocking), twoFactor, adminSessions, adminAudit, materializer),
              adminAudit,
              // The site name and icon (WEB_TITLE until an admin sets them), in the node's database.
              new dev.relaycluster.admin.Branding(database, base.getString("relay.admin.web-title")),
              dev.relaycluster.admin.oidc.OidcLogin.create(dev.relaycluster.config.OidcSettings.from(base), database,
                  adminUsers, adminSessions, ttlStore, vault, blocking),
              modelMaps,
              new dev.relaycluster.admin.DroidOAuthAdmin(system, ttlStore, vault, droidOauth,
                  settings.http().askTimeout(), pool),
              // Moving from claude-relay-service (issue 22): its keys, accounts and usage, from its Redis.
              new dev.relaycluster.admin.crs.CrsImport(system, pool, keys, vault, cipher,
                  settings.http().askTimeout(), blocking, alertTargets))
              .route(),
          new RelayRoutes(clientRequests, new ModelLists(priceBook),
              new KeyUsageRoutes(system, keys, settings.http().askTimeout(), materializer,
                  new UsageQueries(database, settings.ledger().zone())),
              new ResponsesSocketRoute(clientRequests, sockets, NodeDrain.get(system)).route(),
              modelRouter::aliases,
              poolName -> pool.accounts().stream().anyMatch(a -> a.platform().equals(poolName))).route(),
          new dev.relaycluster.http.BodilessRequests(materializer, settings.http().maxBodySize()));
      phases.mark("admin users and routes");
      ClusterMembership.waitUntilUp(system, STARTUP_TIMEOUT);
      phases.mark("cluster up");
      ServerBinding binding = dev.relaycluster.http.ClientConnections.bind(system, settings.host(), settings.port(), routes)
          .toCompletableFuture().get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      ClusterMembership.drainOnShutdown(system, binding, settings.drain());
      system.getWhenTerminated().thenRun(() -> closeAll(resources));
      phases.mark("bind");
      log.info("Start-up took {} ms: {}", phases.totalMillis(), phases);
      log.info("Relay node up on http://{}:{} ({} storage, {} TTL store, {} directory entries, pricing {})",
          settings.host(), binding.localAddress().getPort(), profile.dialect().displayName(), ttlStore.kind(), loaded,
          prices.version());
      return new RelayNode(system, binding, settings, credentials);
    } catch (Exception e) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already failing; the original cause is what matters
      }
      closeAll(resources);
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("the node could not start: " + e.getMessage(), e);
    }
  }

  /** Rebuilds the directories from the journal, trying again if a busy database makes a query time out. */
  private static int loadDirectories(ActorSystem<?> system, Database database, KeyDirectory keys, PoolView pool)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return DirectoryLoader.load(system, database, keys, pool).toCompletableFuture()
            .get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        if (attempt >= 3) {
          throw e;
        }
        log.warn("rebuilding the directories from the journal failed (attempt {}): {}; retrying", attempt,
            e.getCause() == null ? e.toString() : e.getCause().toString());
        Thread.sleep(1000L * attempt);
      }
    }
  }

  /** The client kinds a key can be restricted to: the built-in CLIs and the configured custom kinds. */
  private static java.util.Set<String> clientKinds(RelaySettings settings) {
    java.util.Set<String> kinds = new java.util.TreeSet<>(ClientPaths.builtInKinds());
    kinds.addAll(settings.keys().clientPatterns().keySet());
    return kinds;
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
      }
    }
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public RelaySettings settings() {
    return settings;
  }

  /** Where first-start admin credentials were written, when this start wrote them. */
  public Optional<Path> credentialsFile() {
    return credentialsFile;
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("node did not stop cleanly: {}", e.toString());
    }
  }
}
