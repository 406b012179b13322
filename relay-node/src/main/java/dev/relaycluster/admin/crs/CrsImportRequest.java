package dev.relaycluster.admin.crs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.admin.AdminInputException;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;

/**
 * An import's input, from the admin API's body: {@code redis} ({host, port, username?, password?, db?, tls?} or a
 * {@code redis://} URL), the old {@code encryptionKey}, {@code dryRun}, an optional {@code sampleKey} (a plain
 * key of the old relay, to check the encryption key against when no account is encrypted) and
 * {@code timezoneOffsetHours} (the old relay's TIMEZONE_OFFSET, default 8, which dates its daily usage).
 */
public record CrsImportRequest(CrsRedis redis, String encryptionKey, boolean dryRun, String sampleKey,
    ZoneOffset zone) {

  private static final Set<String> FIELDS = Set.of("redis", "encryptionKey", "dryRun", "sampleKey",
      "timezoneOffsetHours");
  private static final Set<String> REDIS_FIELDS = Set.of("host", "port", "username", "password", "db", "tls");

  @Override
  public String toString() {
    return "CrsImportRequest[redis=" + redis + ", dryRun=" + dryRun + "]";
  }

  public static CrsImportRequest parse(JsonNode body) {
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw AdminInputException.invalid(f + ": unknown field (known: " + String.join(", ", new TreeSet<>(FIELDS))
            + ")");
      }
    }
    JsonNode r = body.get("redis");
    CrsRedis redis;
    if (r != null && r.isTextual()) {
      try {
        redis = CrsRedis.parse(r.asText());
      } catch (IllegalArgumentException e) {
        throw AdminInputException.invalid(e.getMessage());
      }
    } else if (r != null && r.isObject()) {
      for (var it = r.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!REDIS_FIELDS.contains(f)) {
          throw AdminInputException.invalid("redis." + f + ": unknown field (known: "
              + String.join(", ", new TreeSet<>(REDIS_FIELDS)) + ")");
        }
      }
      if (!r.path("host").isTextual() || r.get("host").asText().isBlank()) {
        throw AdminInputException.invalid("redis.host: required");
      }
      int port = integer(r, "port", 6379, 1, 65535);
      int db = integer(r, "db", 0, 0, 1000);
      redis = new CrsRedis(r.get("host").asText().strip(), port, text(r, "username"), text(r, "password"), db,
          r.path("tls").asBoolean(false));
    } else {
      throw AdminInputException.invalid("redis: required, {\"host\": …, \"port\": 6379, \"password\": …, \"db\": 0}"
          + " or a redis:// URL");
    }
    String key = text(body, "encryptionKey");
    if (key == null || key.isEmpty()) {
      throw AdminInputException.invalid("encryptionKey: required, the ENCRYPTION_KEY the old relay ran with");
    }
    if (body.has("dryRun") && !body.get("dryRun").isBoolean()) {
      throw AdminInputException.invalid("dryRun: must be true or false");
    }
    int offset = integer(body, "timezoneOffsetHours", 8, -12, 14);
    return new CrsImportRequest(redis, key, body.path("dryRun").asBoolean(false), text(body, "sampleKey"),
        ZoneOffset.ofHours(offset));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw AdminInputException.invalid(field + ": must be a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode n, String field, int dflt, int min, int max) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
      throw AdminInputException.invalid(field + ": must be a whole number from " + min + " to " + max);
    }
    return v.asInt();
  }
}
