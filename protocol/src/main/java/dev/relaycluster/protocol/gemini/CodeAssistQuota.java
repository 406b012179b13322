package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Google login's Code Assist quota: the {@code retrieveUserQuota} body ({@code {project}}) and its answer,
 * {@code buckets[{modelId, tokenType, remainingAmount, remainingFraction, resetTime}]}, read into
 * {@link Bucket}s, and the account's utilisation they amount to. Pure.
 */
public final class CodeAssistQuota {
  private CodeAssistQuota() {}

  /**
   * One quota bucket: the model it limits ({@code modelId}, null: all), what it counts ({@code tokenType},
   * e.g. REQUESTS), what is left ({@code remainingAmount}, -1 unknown; {@code remainingFraction} 0..1, -1
   * unknown) and when it fills up again ({@code resetAt} epoch millis, 0 unknown).
   */
  public record Bucket(String modelId, String tokenType, long remainingAmount, double remainingFraction,
      long resetAt) {

    /** The used share of this bucket (0..1), -1 when unknown. */
    public double used() {
      return remainingFraction < 0 ? -1 : 1 - remainingFraction;
    }
  }

  /** {@code {"project": project}}. */
  public static byte[] requestBody(String project) {
    return Json.write(Json.mapper().createObjectNode().put("project", project));
  }

  /** @throws IllegalArgumentException when the answer is not a JSON object */
  public static List<Bucket> read(byte[] body) {
    JsonNode n = Json.tryParse(body == null ? new byte[0] : body).filter(JsonNode::isObject).orElseThrow(() ->
        new IllegalArgumentException("retrieveUserQuota: the answer is not a JSON object"));
    List<Bucket> out = new ArrayList<>();
    for (JsonNode b : n.path("buckets")) {
      if (b.isObject()) {
        out.add(new Bucket(text(b, "modelId"), text(b, "tokenType"), amount(b.path("remainingAmount")),
            fraction(b.path("remainingFraction")), resetAt(text(b, "resetTime"))));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The account's utilisation for scheduling: the fullest bucket's used share (as the fullest rate-limit
   * window is for other subscriptions), -1 when no bucket says.
   */
  public static double utilisation(List<Bucket> buckets) {
    return buckets.stream().mapToDouble(Bucket::used).max().orElse(-1);
  }

  private static long amount(JsonNode v) {
    // int64 comes as a JSON string.
    if (v.isIntegralNumber()) {
      return Math.max(-1, v.asLong());
    }
    return v.isTextual() && v.asText().matches("\\d{1,18}") ? Long.parseLong(v.asText()) : -1;
  }

  private static double fraction(JsonNode v) {
    if (!v.isNumber()) {
      return -1;
    }
    double f = v.asDouble();
    return Double.isNaN(f) ? -1 : Math.max(0, Math.min(1, f));
  }

  private static long resetAt(String time) {
    if (time == null) {
      return 0;
    }
    try {
      return Instant.parse(time).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
  }
}
