package dev.relaycluster.admin;

import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.protocol.apikey.ApiKeyFormat;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/** Creates, lists and revokes API keys. The plain key is generated here and never stored. */
public final class KeyAdmin {
  private final ClusterSharding sharding;
  private final KeyDirectory directory;
  private final Duration askTimeout;
  private final SecureRandom random = new SecureRandom();

  public KeyAdmin(ActorSystem<?> system, KeyDirectory directory, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.directory = directory;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<CreatedKey> create(String name, int concurrencyLimit) {
    if (name == null || name.isBlank() || name.length() > 100) {
      return CompletableFuture.failedFuture(AdminInputException.invalid("name: a non-empty name of at most 100 characters is required"));
    }
    if (concurrencyLimit < 0) {
      return CompletableFuture.failedFuture(AdminInputException.invalid("concurrencyLimit: must be 0 (unlimited) or more"));
    }
    String id = UUID.randomUUID().toString();
    String plain = ApiKeyFormat.generate(random);
    String hint = plain.substring(0, 7) + "…";
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, id)
        .<StatusReply<KeyEntry>>ask(r -> new ApiKeyEntity.Create(name.strip(), ApiKeyFormat.hash(plain), hint,
            concurrencyLimit, System.currentTimeMillis(), r), askTimeout)
        .thenApply(reply -> {
          // The entity may live on another node; make the key usable here at once (read your writes).
          directory.publish(reply.getValue());
          return new CreatedKey(reply.getValue(), plain);
        });
  }

  /** Every key, newest first, revoked ones included. */
  public List<KeyEntry> list() {
    return directory.all().stream().sorted(Comparator.comparingLong(KeyEntry::createdAt).reversed()).toList();
  }

  /** The key's live figures from its entity: requests and cost recorded, leases in flight. */
  public CompletionStage<ApiKeyEntity.KeyStatusReply> stats(String id) {
    if (directory.findById(id).isEmpty()) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no key with id " + id));
    }
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, id)
        .ask(ApiKeyEntity.GetStatus::new, askTimeout);
  }

  public CompletionStage<KeyEntry> revoke(String id) {
    if (directory.findById(id).isEmpty()) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no key with id " + id));
    }
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, id)
        .<StatusReply<KeyEntry>>ask(r -> new ApiKeyEntity.Revoke(System.currentTimeMillis(), r), askTimeout)
        .thenApply(StatusReply::getValue)
        .thenApply(entry -> {
          directory.publish(entry);
          return entry;
        });
  }
}
