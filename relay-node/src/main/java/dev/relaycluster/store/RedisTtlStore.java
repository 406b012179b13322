package dev.relaycluster.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster profile's TTL store on Redis (lettuce, one multiplexed async connection). Each command is
 * bounded by the configured command timeout, and while the connection is down commands fail at once
 * instead of queueing for its return; {@link GuardedTtlStore} adds the circuit breaker on top. A Redis that
 * cannot be reached when the node starts does not stop the node: commands fail at once (sticky sessions fall
 * back to the scheduler) while the connection is tried again in the background, every
 * {@code RETRY_FIRST} doubling to {@code RETRY_MAX}, and the store works from the moment one succeeds.
 */
public final class RedisTtlStore implements TtlStore {
  private static final Logger log = LoggerFactory.getLogger(RedisTtlStore.class);
  static final Duration RETRY_FIRST = Duration.ofSeconds(1);
  static final Duration RETRY_MAX = Duration.ofSeconds(30);
  /**
   * The longest pause between lettuce's tries to reconnect a connection it lost. Its own back-off doubles up to
   * 30 s, which kept a node off Redis for up to half a minute after Redis was back; a try a second costs a down
   * Redis nothing.
   */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  private final ClientResources resources;

  private final RedisClient client;
  private final String prefix;
  private final String where;
  private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();
  private volatile RedisAsyncCommands<String, String> redis;
  private volatile boolean closed;

  private RedisTtlStore(ClientResources resources, RedisClient client, String prefix, String where) {
    this.resources = resources;
    this.client = client;
    this.prefix = prefix;
    this.where = where;
  }

  public static RedisTtlStore connect(RedisSettings settings) {
    RedisURI.Builder uri = RedisURI.builder()
        .withHost(settings.host())
        .withPort(settings.port())
        .withDatabase(settings.database())
        .withTimeout(settings.commandTimeout());
    if (!settings.password().isEmpty()) {
      uri.withPassword(settings.password().toCharArray());
    }
    ClientResources resources = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ZERO, MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, uri.build());
    // Lettuce reconnects in the background; until it has, a command is refused rather than held.
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
    RedisTtlStore store = new RedisTtlStore(resources, client, settings.keyPrefix(),
        settings.host() + ":" + settings.port());
    try {
      store.connected(client.connect());
    } catch (RuntimeException e) {
      log.warn("Redis at {} cannot be reached ({}); the node starts without it and keeps trying", store.where,
          e.getMessage());
      store.retryLater(RETRY_FIRST);
    }
    return store;
  }

  /** Whether the first connection has been made (later drops are lettuce's to mend). */
  public boolean connected() {
    return redis != null;
  }

  private void connected(StatefulRedisConnection<String, String> c) {
    connection.set(c);
    redis = c.async();
    if (closed) {
      c.close();
    }
  }

  private void retryLater(Duration delay) {
    if (closed) {
      return;
    }
    client.getResources().eventExecutorGroup().schedule(() -> {
      if (closed) {
        return;
      }
      try {
        connected(client.connect());
        log.info("Redis at {} reached; sticky sessions and shared state are back on it", where);
      } catch (RuntimeException e) {
        Duration next = delay.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : delay.multipliedBy(2);
        log.warn("Redis at {} still cannot be reached ({}); next try in {} s", where, e.getMessage(),
            next.toSeconds());
        retryLater(next);
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs a command, or fails at once while Redis has not been reached yet. */
  private <T> CompletionStage<T> run(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
    RedisAsyncCommands<String, String> r = redis;
    if (r == null) {
      return CompletableFuture.failedFuture(
          new StorageUnavailableException("Redis at " + where + " has not been reached yet", null));
    }
    return command.apply(r);
  }

  @Override
  public CompletionStage<Optional<String>> get(String key) {
    return run(r -> r.get(prefix + key).thenApply(Optional::ofNullable));
  }

  @Override
  public CompletionStage<Void> set(String key, String value, Duration ttl) {
    return run(r -> r.set(prefix + key, value, SetArgs.Builder.px(ttl.toMillis())).thenApply(ok -> null));
  }

  @Override
  public CompletionStage<Boolean> expire(String key, Duration ttl) {
    return run(r -> r.pexpire(prefix + key, ttl.toMillis()));
  }

  @Override
  public CompletionStage<Void> delete(String key) {
    return run(r -> r.del(prefix + key).thenApply(n -> null));
  }

  @Override
  public CompletionStage<Long> increment(String key, Duration ttl) {
    String k = prefix + key;
    // Create the counter with its expiry first (no-op when it exists), then count: the expiry is never lost.
    return run(r -> r.set(k, "0", SetArgs.Builder.nx().px(ttl.toMillis())).thenCompose(created -> r.incr(k)));
  }

  @Override
  public CompletionStage<Void> ping() {
    return run(r -> r.ping().thenApply(pong -> null));
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public void close() {
    closed = true;
    StatefulRedisConnection<String, String> c = connection.get();
    if (c != null) {
      c.close();
    }
    client.shutdown();
    resources.shutdown();
  }
}
