package dev.relaycluster.store;

import java.time.Duration;

/**
 * How {@link RedisTtlStore} connects: {@code commandTimeout} bounds one command. Implemented by the
 * configuration's record (config/ sits above store/), so store/ reads no configuration class.
 */
public interface RedisSettings {
  String host();

  int port();

  String password();

  int database();

  String keyPrefix();

  Duration commandTimeout();
}
