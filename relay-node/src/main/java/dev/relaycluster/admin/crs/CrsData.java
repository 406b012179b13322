package dev.relaycluster.admin.crs;

import java.util.List;
import java.util.Map;

/**
 * What was read from a claude-relay-service Redis database, as stored there (strings; nothing decrypted):
 * its API key hashes ({@code apikey:{id}}) and the hash map ({@code apikey:hash_map}, hash → id), its
 * accounts of every kind, its account groups, each key's usage, its webhook settings ({@code webhook_config:default},
 * JSON text, null when absent) and the records that could not be read.
 */
public record CrsData(
    List<Map<String, String>> keys,
    Map<String, String> hashMap,
    List<CrsRecord> accounts,
    Map<String, CrsGroup> groups,
    Map<String, CrsKeyUsage> usage,
    String webhookConfig,
    List<CrsSkip> unreadable) {

  /**
   * One account: its kind (the Redis key prefix, e.g. {@code claude:account:}), id and fields; a Bedrock
   * account's JSON object is given as fields too (nested objects as JSON text).
   */
  public record CrsRecord(String prefix, String id, Map<String, String> fields) {}

  /** An account group: name, platform ({@code claude}, {@code openai}, …) and member account ids. */
  public record CrsGroup(String id, String name, String platform, List<String> members) {}

  /**
   * A key's usage: the rated and real cost totals (USD, 0 when absent) and its per-model buckets: {@code daily}
   * ({@code usage:{key}:model:daily:{model}:{YYYY-MM-DD}}), {@code monthly} ({@code …:monthly:{model}:{YYYY-MM}})
   * and {@code alltime} ({@code …:alltime:{model}}, period null); and its request-detail log
   * ({@code usage:records:{key}}, one JSON text per request, newest first) when CRS kept one.
   */
  public record CrsKeyUsage(double ratedTotal, double realTotal, List<Bucket> buckets, List<String> records) {
    public CrsKeyUsage(double ratedTotal, double realTotal, List<Bucket> buckets) {
      this(ratedTotal, realTotal, buckets, List.of());
    }

    public record Bucket(String kind, String model, String period, Map<String, String> fields) {
      public boolean daily() {
        return kind.equals("daily");
      }
    }
  }
}
