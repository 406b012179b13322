package dev.relaycluster.admin.crs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a claude-relay-service Redis database into {@link CrsData}, read only (SCAN, TYPE, HGETALL, GET,
 * SMEMBERS, LRANGE). Blocking: call it off the actor threads. A record of the wrong type or unreadable JSON is listed
 * as unreadable, not fatal; a database that cannot be reached is a {@link CrsUnreachable}.
 */
public final class CrsReader {
  /** The account kinds, by Redis key prefix; Bedrock accounts are JSON strings, the others hashes. */
  public static final List<String> ACCOUNT_PREFIXES = List.of("claude:account:", "claude_console_account:",
      "bedrock_account:", "openai:account:", "openai_responses_account:", "azure_openai:account:",
      "gemini_account:", "gemini_api_account:", "droid:account:", "ccr_account:");

  /** Where CRS keeps its webhook settings (one JSON string). */
  static final String WEBHOOK_CONFIG = "webhook_config:default";

  private CrsReader() {}

  public static CrsData read(CrsRedis where) {
    RedisURI.Builder uri = RedisURI.builder().withHost(where.host()).withPort(where.port())
        .withDatabase(where.db()).withSsl(where.tls()).withTimeout(Duration.ofSeconds(10));
    if (where.password() != null && !where.password().isEmpty()) {
      if (where.username() != null) {
        uri.withAuthentication(where.username(), where.password().toCharArray());
      } else {
        uri.withPassword(where.password().toCharArray());
      }
    }
    RedisClient client = RedisClient.create(uri.build());
    client.setOptions(io.lettuce.core.ClientOptions.builder().autoReconnect(false)
        .socketOptions(io.lettuce.core.SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).build()).build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return read(connection.sync());
    } catch (RedisException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new CrsUnreachable("cannot read the claude-relay-service Redis at " + where + ": "
          + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  static CrsData read(RedisCommands<String, String> redis) {
    List<CrsSkip> unreadable = new ArrayList<>();
    List<Map<String, String>> keys = new ArrayList<>();
    for (String k : scan(redis, "apikey:*")) {
      String id = k.substring("apikey:".length());
      if (id.contains(":") || id.equals("hash_map")) {
        continue;
      }
      Map<String, String> fields = hash(redis, k, "key", id, unreadable);
      if (fields != null) {
        fields.putIfAbsent("id", id);
        keys.add(fields);
      }
    }
    Map<String, String> hashMap = "hash".equals(redis.type("apikey:hash_map"))
        ? new LinkedHashMap<>(redis.hgetall("apikey:hash_map")) : Map.of();
    List<CrsData.CrsRecord> accounts = new ArrayList<>();
    for (String prefix : ACCOUNT_PREFIXES) {
      for (String k : scan(redis, prefix + "*")) {
        String id = k.substring(prefix.length());
        if (id.isEmpty() || id.contains(":") || id.startsWith("index")) {
          continue;
        }
        Map<String, String> fields = prefix.equals("bedrock_account:") ? jsonString(redis, k, id, unreadable)
            : hash(redis, k, "account", id, unreadable);
        if (fields != null) {
          accounts.add(new CrsData.CrsRecord(prefix, id, fields));
        }
      }
    }
    Map<String, CrsData.CrsGroup> groups = new TreeMap<>();
    for (String k : scan(redis, "account_group:*")) {
      String id = k.substring("account_group:".length());
      if (id.contains(":")) {
        continue;
      }
      Map<String, String> g = hash(redis, k, "group", id, unreadable);
      if (g != null) {
        String members = "account_group_members:" + id;
        List<String> ids = "set".equals(redis.type(members)) ? new ArrayList<>(redis.smembers(members)) : List.of();
        groups.put(id, new CrsData.CrsGroup(id, g.getOrDefault("name", id), g.getOrDefault("platform", ""),
            List.copyOf(ids)));
      }
    }
    Map<String, CrsData.CrsKeyUsage> usage = new LinkedHashMap<>();
    for (Map<String, String> key : keys) {
      String id = key.get("id");
      usage.put(id, usage(redis, id, unreadable));
    }
    String webhooks = "string".equals(redis.type(WEBHOOK_CONFIG)) ? redis.get(WEBHOOK_CONFIG) : null;
    return new CrsData(keys, hashMap, accounts, groups, usage, webhooks, unreadable);
  }

  private static CrsData.CrsKeyUsage usage(RedisCommands<String, String> redis, String keyId,
      List<CrsSkip> unreadable) {
    double rated = number(redis, "usage:cost:total:" + keyId);
    double real = number(redis, "usage:cost:real:total:" + keyId);
    List<CrsData.CrsKeyUsage.Bucket> buckets = new ArrayList<>();
    for (String kind : List.of("daily", "monthly", "alltime")) {
      String prefix = "usage:" + keyId + ":model:" + kind + ":";
      for (String k : scan(redis, prefix + "*")) {
        String rest = k.substring(prefix.length());
        // Model names may hold colons (Bedrock ids); the period is after the last one.
        int colon = kind.equals("alltime") ? rest.length() : rest.lastIndexOf(':');
        if (colon <= 0) {
          continue;
        }
        Map<String, String> fields = hash(redis, k, "usage", k, unreadable);
        if (fields != null) {
          buckets.add(new CrsData.CrsKeyUsage.Bucket(kind, rest.substring(0, colon),
              kind.equals("alltime") ? null : rest.substring(colon + 1), fields));
        }
      }
    }
    String records = "usage:records:" + keyId;
    List<String> detail = "list".equals(redis.type(records)) ? List.copyOf(redis.lrange(records, 0, -1)) : List.of();
    return new CrsData.CrsKeyUsage(rated, real, buckets, detail);
  }

  private static double number(RedisCommands<String, String> redis, String key) {
    try {
      String v = redis.get(key);
      return v == null ? 0 : Double.parseDouble(v.strip());
    } catch (RedisException | NumberFormatException e) {
      return 0;
    }
  }

  private static List<String> scan(RedisCommands<String, String> redis, String pattern) {
    List<String> out = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(1000);
    KeyScanCursor<String> cursor = redis.scan(args);
    out.addAll(cursor.getKeys());
    while (!cursor.isFinished()) {
      cursor = redis.scan(cursor, args);
      out.addAll(cursor.getKeys());
    }
    out.sort(null);
    return out;
  }

  private static Map<String, String> hash(RedisCommands<String, String> redis, String key, String kind, String id,
      List<CrsSkip> unreadable) {
    String type = redis.type(key);
    if (!"hash".equals(type)) {
      unreadable.add(new CrsSkip(kind, id, null, "stored as a Redis " + type + ", not a hash: damaged record"));
      return null;
    }
    return new LinkedHashMap<>(redis.hgetall(key));
  }

  /** A Bedrock account, a JSON object in a string: its fields as text (nested objects as JSON). */
  private static Map<String, String> jsonString(RedisCommands<String, String> redis, String key, String id,
      List<CrsSkip> unreadable) {
    String type = redis.type(key);
    JsonNode node = "string".equals(type) ? Json.tryParse(redis.get(key)).orElse(null) : null;
    if (node == null || !node.isObject()) {
      unreadable.add(new CrsSkip("account", id, null, "not a JSON object in a Redis string: damaged record"));
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (!v.isNull()) {
        fields.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
      }
    });
    return fields;
  }
}
