package dev.relaycluster.admin.crs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.admin.AdminInputException;
import dev.relaycluster.alerts.WebhookTargetStore;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.LegacySalt;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a running claude-relay-service from its Redis (issue 22): reads everything first (off the actor
 * threads), checks the old encryption key and plans ({@link CrsImportPlan}), and only then writes, unless it is a
 * dry run: accounts (credentials sealed with this relay's key, same ids), then keys (same ids, their legacy hash
 * and its salt sealed, soft-deleted ones deleted again), then each new key's usage history. Idempotent: an
 * account or key whose id is already here is counted as already present and left alone, and usage entries have
 * fixed request ids that a key records once. Then the request-detail log of each new key (its rows replace the
 * parts of the usage entries they cover, so totals stay CRS's), and the webhook platforms as alert targets with
 * fixed ids (one already here is left alone).
 */
public final class CrsImport {
  private static final Logger log = LoggerFactory.getLogger(CrsImport.class);
  private static final String HINT = "cr_…(imported)";

  private final ClusterSharding sharding;
  private final PoolView pool;
  private final KeyDirectory keys;
  private final CredentialVault vault;
  private final CredentialCipher cipher;
  private final Duration askTimeout;
  private final Executor blocking;
  private final WebhookTargetStore targets;

  public CrsImport(ActorSystem<?> system, PoolView pool, KeyDirectory keys, CredentialVault vault,
      CredentialCipher cipher, Duration askTimeout, Executor blocking, WebhookTargetStore targets) {
    this.sharding = ClusterSharding.get(system);
    this.pool = pool;
    this.keys = keys;
    this.vault = vault;
    this.cipher = cipher;
    this.askTimeout = askTimeout;
    this.blocking = blocking;
    this.targets = targets;
  }

  public CompletionStage<CrsImportReport> run(JsonNode body) {
    CrsImportRequest req;
    try {
      req = CrsImportRequest.parse(body);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return run(req);
  }

  public CompletionStage<CrsImportReport> run(CrsImportRequest req) {
    return CompletableFuture.supplyAsync(() -> CrsReader.read(req.redis()), blocking)
        .thenCombine(targets.list(), (data, here) -> {
          java.util.Set<String> targetIds = new java.util.HashSet<>();
          here.forEach(t -> targetIds.add(t.id()));
          return CrsImportPlan.make(data, req, new CrsCipher(req.encryptionKey()), id -> keys.findById(id).isPresent(),
              id -> pool.find(id).isPresent(), targetIds::contains, System.currentTimeMillis());
        }).thenCompose(plan -> req.dryRun()
        ? CompletableFuture.completedFuture(report(true, plan, List.of()))
        : write(plan, req));
  }

  private CompletionStage<CrsImportReport> write(CrsImportPlan plan, CrsImportRequest req) {
    List<CrsSkip> failed = java.util.Collections.synchronizedList(new ArrayList<>());
    String salt = sealedSalt(req.encryptionKey());
    CompletionStage<Void> done = CompletableFuture.completedFuture(null);
    for (CrsAccountMapping.ImportedAccount a : plan.accounts()) {
      done = done.thenCompose(v -> createAccount(a).handle((entry, t) -> {
        if (t != null) {
          failed.add(new CrsSkip("account", a.id(), a.name(), "not written: " + message(t)));
          plan.counts().get("accounts")[CrsImportPlan.IMPORTED]--;
          plan.counts().get("accounts")[CrsImportPlan.SKIPPED]++;
        }
        return null;
      }));
    }
    for (CrsKeyMapping.ImportedKey k : plan.keys()) {
      done = done.thenCompose(v -> createKey(k, salt).thenCompose(entry -> importUsage(k.id(),
          plan.usage().getOrDefault(k.id(), List.of()), "usage", plan, failed)).thenCompose(x -> importUsage(k.id(),
          plan.requests().getOrDefault(k.id(), List.of()), "requests", plan, failed)).handle((x, t) -> {
        if (t != null) {
          failed.add(new CrsSkip("key", k.id(), k.settings().name(), "not written: " + message(t)));
          plan.counts().get("keys")[CrsImportPlan.IMPORTED]--;
          plan.counts().get("keys")[CrsImportPlan.SKIPPED]++;
          int lost = plan.usage().getOrDefault(k.id(), List.of()).size();
          plan.counts().get("usage")[CrsImportPlan.IMPORTED] -= lost;
          plan.counts().get("usage")[CrsImportPlan.SKIPPED] += lost;
          int lostRequests = plan.requests().getOrDefault(k.id(), List.of()).size();
          plan.counts().get("requests")[CrsImportPlan.IMPORTED] -= lostRequests;
          plan.counts().get("requests")[CrsImportPlan.SKIPPED] += lostRequests;
        }
        return null;
      }));
    }
    for (CrsWebhookMapping.ImportedTarget w : plan.targets()) {
      done = done.thenCompose(v -> targets.insert(w.target()).handle((x, t) -> {
        if (t != null) {
          failed.add(new CrsSkip("webhook", w.target().id(), w.target().name(), "not written: " + message(t)));
          plan.counts().get("webhooks")[CrsImportPlan.IMPORTED]--;
          plan.counts().get("webhooks")[CrsImportPlan.SKIPPED]++;
        }
        return null;
      }));
    }
    return done.thenApply(v -> {
      CrsImportReport report = report(false, plan, failed);
      log.info("claude-relay-service import from {}: {}", req.redis(), report.summary());
      return report;
    });
  }

  private CompletionStage<PoolEntry> createAccount(CrsAccountMapping.ImportedAccount a) {
    long now = System.currentTimeMillis();
    AccountDefinition definition = new AccountDefinition(a.id(), a.name(), a.type(), a.baseUrl(), a.priority(),
        a.maxConcurrency(), a.paused(), vault.seal(a.id(), a.secrets()), a.createdAt(), now, a.groups(), 1.0,
        SubscriptionTier.UNKNOWN, a.proxy());
    return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, a.id())
        .<StatusReply<PoolEntry>>ask(r -> new AccountEntity.Create(definition, r), askTimeout)
        .thenApply(StatusReply::getValue)
        .thenApply(entry -> {
          pool.publish(entry);
          return entry;
        });
  }

  private CompletionStage<KeyEntry> createKey(CrsKeyMapping.ImportedKey k, String salt) {
    var ref = sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, k.id());
    CompletionStage<KeyEntry> created = ref.<StatusReply<KeyEntry>>ask(r -> new ApiKeyEntity.Create(k.keyHash(), HINT,
        k.settings(), k.createdAt(), salt, r), askTimeout).thenApply(StatusReply::getValue);
    if (k.deleted()) {
      created = created.thenCompose(e -> ref.<StatusReply<KeyEntry>>ask(r -> new ApiKeyEntity.Delete(
          System.currentTimeMillis(), r), askTimeout).thenApply(StatusReply::getValue));
    }
    return created.thenApply(entry -> {
      keys.publish(entry);
      return entry;
    });
  }

  private CompletionStage<Void> importUsage(String keyId, List<UsageRecord> usage, String kind, CrsImportPlan plan,
      List<CrsSkip> failed) {
    if (usage.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, keyId)
        .<Integer>ask(r -> new ApiKeyEntity.ImportUsage(usage, r), askTimeout.multipliedBy(3))
        .handle((written, t) -> {
          int[] c = plan.counts().get(kind);
          if (t != null) {
            failed.add(kind.equals("usage") ? new CrsSkip("usage", keyId, null, "usage history not written: "
                + message(t)) : new CrsSkip("request", keyId, null, "request log not written: " + message(t)));
            c[CrsImportPlan.IMPORTED] -= usage.size();
            c[CrsImportPlan.SKIPPED] += usage.size();
          } else if (written < usage.size()) {
            c[CrsImportPlan.IMPORTED] -= usage.size() - written;
            c[CrsImportPlan.PRESENT] += usage.size() - written;
          }
          return null;
        });
  }

  /** The old key sealed as earlier imports sealed it (so a node opens one salt per source), else newly. */
  private String sealedSalt(String encryptionKey) {
    var opener = LegacySalt.opener(cipher);
    return keys.all().stream().map(KeyEntry::legacySalt).filter(Objects::nonNull).distinct()
        .filter(s -> {
          try {
            return opener.apply(s).equals(encryptionKey);
          } catch (RuntimeException e) {
            return false;
          }
        })
        .findFirst().orElseGet(() -> LegacySalt.seal(cipher, encryptionKey));
  }

  private static String message(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException)) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  static CrsImportReport report(boolean dryRun, CrsImportPlan plan, List<CrsSkip> failed) {
    Map<String, CrsImportReport.Counts> counts = new LinkedHashMap<>();
    StringBuilder summary = new StringBuilder(dryRun ? "dry run: " : "imported: ");
    plan.counts().forEach((kind, c) -> {
      counts.put(kind, new CrsImportReport.Counts(c[0], c[1], c[2], c[3]));
      summary.append(kind).append(' ').append(c[1]).append('/').append(c[0])
          .append(c[3] > 0 ? " (" + c[3] + " already here)" : "").append(", ");
    });
    List<CrsSkip> skipped = new ArrayList<>(plan.skipped());
    skipped.addAll(failed);
    summary.append(skipped.size()).append(" skipped");
    return new CrsImportReport(dryRun, counts, List.copyOf(skipped), List.copyOf(plan.notes()), summary.toString());
  }
}
