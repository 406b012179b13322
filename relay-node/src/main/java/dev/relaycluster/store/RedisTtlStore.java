package dev.relaycluster.store;

import dev.relaycluster.config.RelaySettings;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The cluster profile's TTL store on Redis (lettuce, one multiplexed async connection). Each command is
 * bounded by the configured command timeout, and while the connection is down commands fail at once
 * instead of queueing for its return; {@link GuardedTtlStore} adds the circuit breaker on top.
 */
public final class RedisTtlStore implements TtlStore {
  /**
   * The longest pause between tries to reconnect. Lettuce's own back-off doubles up to 30 s, which kept a node
   * off Redis for up to half a minute after Redis was back; a try a second costs a down Redis nothing.
   */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final String prefix;

  private RedisTtlStore(ClientResources resources, RedisClient client,
      StatefulRedisConnection<String, String> connection, String prefix) {
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.redis = connection.async();
    this.prefix = prefix;
  }

  public static RedisTtlStore connect(RelaySettings.Redis settings) {
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
    try {
      return new RedisTtlStore(resources, client, client.connect(), settings.keyPrefix());
    } catch (RuntimeException e) {
      client.shutdown();
      resources.shutdown();
      throw new StorageException("cannot connect to Redis at " + settings.host() + ":" + settings.port()
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public CompletionStage<Optional<String>> get(String key) {
    return redis.get(prefix + key).thenApply(Optional::ofNullable);
  }

  @Override
  public CompletionStage<Void> set(String key, String value, Duration ttl) {
    return redis.set(prefix + key, value, SetArgs.Builder.px(ttl.toMillis())).thenApply(ok -> null);
  }

  @Override
  public CompletionStage<Boolean> expire(String key, Duration ttl) {
    return redis.pexpire(prefix + key, ttl.toMillis());
  }

  @Override
  public CompletionStage<Void> delete(String key) {
    return redis.del(prefix + key).thenApply(n -> null);
  }

  @Override
  public CompletionStage<Long> increment(String key, Duration ttl) {
    String k = prefix + key;
    // Create the counter with its expiry first (no-op when it exists), then count: the expiry is never lost.
    return redis.set(k, "0", SetArgs.Builder.nx().px(ttl.toMillis())).thenCompose(created -> redis.incr(k));
  }

  @Override
  public CompletionStage<Void> ping() {
    return redis.ping().thenApply(pong -> null);
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
    resources.shutdown();
  }
}
