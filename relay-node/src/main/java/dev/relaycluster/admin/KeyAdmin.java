package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.KeyDirectory;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeySettings;
import dev.relaycluster.apikey.KeyStatus;
import dev.relaycluster.apikey.KeyUsage;
import dev.relaycluster.protocol.apikey.ApiKeyFormat;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Creates, lists, edits, revokes, deletes and restores API keys, and reads their usage. The plain key is
 * generated here and never stored. Settings are validated in full before anything is sent to the key's
 * entity, so a bad request writes nothing.
 */
public final class KeyAdmin {
  private final ClusterSharding sharding;
  private final KeyDirectory directory;
  private final Duration askTimeout;
  private final KeySettingsInput input;
  private final SecureRandom random = new SecureRandom();

  public KeyAdmin(ActorSystem<?> system, KeyDirectory directory, Duration askTimeout, KeySettingsInput input) {
    this.sharding = ClusterSharding.get(system);
    this.directory = directory;
    this.askTimeout = askTimeout;
    this.input = input;
  }

  public CompletionStage<CreatedKey> create(JsonNode body) {
    KeySettings settings;
    try {
      settings = input.create(body);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    String id = UUID.randomUUID().toString();
    String plain = ApiKeyFormat.generate(random);
    String hint = plain.substring(0, 7) + "…";
    return entity(id)
        .<StatusReply<KeyEntry>>ask(r -> new ApiKeyEntity.Create(ApiKeyFormat.hash(plain), hint, settings,
            System.currentTimeMillis(), r), askTimeout)
        .thenApply(reply -> {
          // The entity may live on another node; make the key usable here at once (read your writes).
          directory.publish(reply.getValue());
          return new CreatedKey(reply.getValue(), plain);
        });
  }

  /**
   * Changes the settings the body names; the rest stay as they are. The new settings are computed from the
   * ones read, and written only if nobody changed the key in between (else read again, a few times).
   */
  public CompletionStage<KeyEntry> update(String id, JsonNode body) {
    return update(id, body, 3);
  }

  private CompletionStage<KeyEntry> update(String id, JsonNode body, int triesLeft) {
    return usage(id).thenCompose(current -> {
      KeySettings next = input.apply(current.key().settings(), body);
      long revision = current.key().revision();
      return change(id, r -> new ApiKeyEntity.Update(next, System.currentTimeMillis(), revision, r));
    }).exceptionallyCompose(failure -> {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (triesLeft > 1 && cause instanceof StatusReply.ErrorMessage e
          && ApiKeyEntity.CHANGED_CONCURRENTLY.equals(e.getMessage())) {
        return update(id, body, triesLeft - 1);
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** Every key, newest first; deleted ones only when asked for, revoked ones always. */
  public List<KeyEntry> list(boolean includeDeleted) {
    return directory.all().stream()
        .filter(k -> includeDeleted || k.status() != KeyStatus.DELETED)
        .sorted(Comparator.comparingLong(KeyEntry::createdAt).reversed())
        .toList();
  }

  /**
   * The keys of {@link #list} with their usage, each asked of its entity at once; a key whose entity does
   * not answer in time comes with null usage rather than failing the list.
   */
  public CompletionStage<List<java.util.Map.Entry<KeyEntry, KeyUsage>>> listWithUsage(boolean includeDeleted) {
    List<CompletableFuture<java.util.Map.Entry<KeyEntry, KeyUsage>>> asks = list(includeDeleted).stream()
        .map(k -> entity(k.id()).<KeyUsage>ask(ApiKeyEntity.GetUsage::new, askTimeout).toCompletableFuture()
            .<java.util.Map.Entry<KeyEntry, KeyUsage>>thenApply(u -> new java.util.AbstractMap.SimpleImmutableEntry<>(k,
                u.key() == null ? null : u))
            .exceptionally(t -> new java.util.AbstractMap.SimpleImmutableEntry<>(k, null)))
        .toList();
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(done -> asks.stream().map(CompletableFuture::join).toList());
  }

  /** The key with its usage, from its entity. */
  public CompletionStage<KeyUsage> usage(String id) {
    if (directory.findById(id).isEmpty()) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no key with id " + id));
    }
    return entity(id).<KeyUsage>ask(ApiKeyEntity.GetUsage::new, askTimeout).thenApply(u -> {
      if (u.key() == null) {
        throw AdminInputException.notFound("no key with id " + id);
      }
      return u;
    });
  }

  /** The key's live figures from its entity: requests and cost recorded, leases in flight. */
  public CompletionStage<ApiKeyEntity.KeyStatusReply> stats(String id) {
    if (directory.findById(id).isEmpty()) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no key with id " + id));
    }
    return entity(id).ask(ApiKeyEntity.GetStatus::new, askTimeout);
  }

  /** Stops the key for good. */
  public CompletionStage<KeyEntry> revoke(String id) {
    return change(id, r -> new ApiKeyEntity.Revoke(System.currentTimeMillis(), r));
  }

  /** Soft delete: the key stops working and leaves the list until restored. */
  public CompletionStage<KeyEntry> delete(String id) {
    return change(id, r -> new ApiKeyEntity.Delete(System.currentTimeMillis(), r));
  }

  public CompletionStage<KeyEntry> restore(String id) {
    return change(id, r -> new ApiKeyEntity.Restore(System.currentTimeMillis(), r));
  }

  private CompletionStage<KeyEntry> change(String id,
      Function<ActorRef<StatusReply<KeyEntry>>, ApiKeyEntity.Command> command) {
    if (directory.findById(id).isEmpty()) {
      return CompletableFuture.failedFuture(AdminInputException.notFound("no key with id " + id));
    }
    return entity(id).<StatusReply<KeyEntry>>ask(command::apply, askTimeout)
        .thenApply(StatusReply::getValue)
        .thenApply(entry -> {
          directory.publish(entry);
          return entry;
        });
  }

  private EntityRef<ApiKeyEntity.Command> entity(String id) {
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, id);
  }
}
