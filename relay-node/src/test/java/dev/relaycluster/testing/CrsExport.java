package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real claude-relay-service Redis export and its scenario (test resources {@code crs/}, made by
 * {@code deploy/crs-export}), and loading that export into a scratch Redis database: every key with its type,
 * value and TTL, as the old relay left it.
 */
public final class CrsExport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CrsExport() {}

  public static JsonNode export() throws IOException {
    return read("/crs/crs-redis-export.json");
  }

  public static JsonNode scenario() throws IOException {
    return read("/crs/crs-scenario.json");
  }

  private static JsonNode read(String resource) throws IOException {
    try (InputStream in = CrsExport.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      return JSON.readTree(in);
    }
  }

  /** The fields of one exported hash (or, for a JSON string, null), by its Redis key. */
  public static Map<String, String> hash(JsonNode export, String key) {
    for (JsonNode k : export.get("keys")) {
      if (k.get("key").asText().equals(key) && k.get("type").asText().equals("hash")) {
        Map<String, String> out = new LinkedHashMap<>();
        k.get("value").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
      }
    }
    return null;
  }

  /** Empties database {@code db} of the local Redis and loads the export into it. */
  public static void load(JsonNode export, int db) {
    RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(6379)
        .withDatabase(db).build());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      RedisCommands<String, String> r = c.sync();
      r.flushdb();
      for (JsonNode k : export.get("keys")) {
        String key = k.get("key").asText();
        JsonNode v = k.get("value");
        switch (k.get("type").asText()) {
          case "hash" -> {
            Map<String, String> m = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            if (!m.isEmpty()) {
              r.hset(key, m);
            }
          }
          case "string" -> r.set(key, v.asText());
          case "set" -> v.forEach(m -> r.sadd(key, m.asText()));
          case "zset" -> v.forEach(m -> r.zadd(key, m.get("score").asDouble(), m.get("member").asText()));
          case "list" -> v.forEach(m -> r.rpush(key, m.asText()));
          case "stream" -> v.forEach(m -> {
            Map<String, String> fields = new LinkedHashMap<>();
            m.get("fields").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
            r.xadd(key, new XAddArgs().id(m.get("id").asText()), fields);
          });
          default -> throw new IllegalArgumentException("unknown type " + k.get("type"));
        }
        long ttl = k.get("ttlMillis").asLong(-1);
        if (ttl > 0) {
          r.pexpire(key, ttl);
        }
      }
    } finally {
      client.shutdown();
    }
  }

  /** Runs {@code work} against database {@code db} of the local Redis. */
  public static void with(int db, java.util.function.Consumer<RedisCommands<String, String>> work) {
    RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(6379)
        .withDatabase(db).build());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      work.accept(c.sync());
    } finally {
      client.shutdown();
    }
  }
}
