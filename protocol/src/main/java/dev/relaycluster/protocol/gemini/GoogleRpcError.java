package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google API error body, {@code {"error":{code, message, status, details[]}}} (also as the first element of
 * a JSON array, as the array stream sends it), with the {@code google.rpc} details the health rules read:
 * {@code RetryInfo.retryDelay}, {@code QuotaFailure.violations[].quotaId}, {@code ErrorInfo{reason, domain,
 * metadata}} and {@code Help.links[].url}. A body that is not such JSON keeps its text as the message.
 */
final class GoogleRpcError {
  static final String TYPE_PREFIX = "type.googleapis.com/google.rpc.";
  private static final Pattern DURATION = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)(ms|s)\\s*$");
  private static final Pattern RETRY_IN = Pattern.compile("retry in (\\d+(?:\\.\\d+)?)(ms|s)\\b",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern RESET_AFTER = Pattern.compile(
      "reset after (?=\\d)(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+(?:\\.\\d+)?)s)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");

  /** The error's code, 0 when it has none. */
  final int code;
  /** The google.rpc status name ("RESOURCE_EXHAUSTED"), or null. */
  final String status;
  /** The message, "" when none. */
  final String message;
  /** {@code RetryInfo.retryDelay} in milliseconds, -1 when absent or unreadable. */
  final long retryDelayMillis;
  final List<String> quotaIds;
  /** {@code ErrorInfo.reason}, or null. */
  final String reason;
  /** {@code ErrorInfo.metadata}, or null. */
  final JsonNode metadata;
  final List<String> helpLinks;

  private GoogleRpcError(int code, String status, String message, long retryDelayMillis, List<String> quotaIds,
      String reason, JsonNode metadata, List<String> helpLinks) {
    this.code = code;
    this.status = status;
    this.message = message == null ? "" : message;
    this.retryDelayMillis = retryDelayMillis;
    this.quotaIds = quotaIds;
    this.reason = reason;
    this.metadata = metadata;
    this.helpLinks = helpLinks;
  }

  static GoogleRpcError parse(byte[] body) {
    if (body == null || body.length == 0) {
      return text("");
    }
    JsonNode root = Json.tryParse(body).orElse(null);
    if (root != null && root.isArray()) {
      root = root.path(0);
    }
    JsonNode error = root == null ? null : root.get("error");
    if (error == null || !error.isObject()) {
      String raw = new String(body, StandardCharsets.UTF_8).strip();
      return text(error != null && error.isTextual() ? error.textValue() : raw);
    }
    return of(error);
  }

  /** Reads an {@code error} object. */
  static GoogleRpcError of(JsonNode error) {
    JsonNode code = error.get("code");
    long retryDelay = -1;
    List<String> quotaIds = new ArrayList<>();
    String reason = null;
    JsonNode metadata = null;
    List<String> links = new ArrayList<>();
    for (JsonNode detail : error.path("details")) {
      String type = Json.text(detail, "@type");
      if (type == null || !type.startsWith(TYPE_PREFIX)) {
        continue;
      }
      switch (type.substring(TYPE_PREFIX.length())) {
        case "RetryInfo" -> retryDelay = durationMillis(Json.text(detail, "retryDelay"));
        case "QuotaFailure" -> detail.path("violations").forEach(v -> {
          String id = Json.text(v, "quotaId");
          if (id != null) {
            quotaIds.add(id);
          }
        });
        case "ErrorInfo" -> {
          if (reason == null) {
            reason = Json.text(detail, "reason");
            metadata = detail.get("metadata");
          }
        }
        case "Help" -> detail.path("links").forEach(l -> {
          String url = Json.text(l, "url");
          if (url != null && !url.isBlank()) {
            links.add(url);
          }
        });
        default -> {
          // other details say nothing about the account
        }
      }
    }
    return new GoogleRpcError(code != null && code.canConvertToInt() ? code.intValue() : 0,
        Json.text(error, "status"), Json.text(error, "message"), retryDelay, List.copyOf(quotaIds), reason,
        metadata, List.copyOf(links));
  }

  private static GoogleRpcError text(String message) {
    return new GoogleRpcError(0, null, message.length() > 300 ? message.substring(0, 300) : message, -1,
        List.of(), null, null, List.of());
  }

  /** A protobuf JSON duration ("37s", "0.5s", "34.07s", "900ms") in milliseconds, -1 when unreadable. */
  static long durationMillis(String duration) {
    if (duration == null) {
      return -1;
    }
    Matcher m = DURATION.matcher(duration);
    if (!m.matches()) {
      return -1;
    }
    double value = Double.parseDouble(m.group(1));
    return (long) Math.ceil("ms".equals(m.group(2)) ? value : value * 1000);
  }

  /** A "Please retry in 37.5s" delay in the message, in milliseconds, -1 when none. */
  long retryInMessageMillis() {
    Matcher m = RETRY_IN.matcher(message);
    if (!m.find()) {
      return -1;
    }
    return durationMillis(m.group(1) + m.group(2));
  }

  /** A "Your quota will reset after 2h27m12s" delay in the message, in milliseconds, -1 when none. */
  long resetAfterInMessageMillis() {
    Matcher m = RESET_AFTER.matcher(message);
    if (!m.find() || m.group(0).length() <= "reset after ".length()) {
      return -1;
    }
    double seconds = 0;
    seconds += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600.0;
    seconds += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60.0;
    seconds += m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
    return (long) Math.ceil(seconds * 1000);
  }

  /** A daily quota: a {@code QuotaFailure} quota id naming a day ({@code …PerDay…}, {@code …Daily…}). */
  boolean dailyQuota() {
    for (String id : quotaIds) {
      String lower = id.toLowerCase(Locale.ROOT);
      if (lower.contains("perday") || lower.contains("daily") || lower.contains("per_day")) {
        return true;
      }
    }
    return false;
  }

  /** A per-minute quota: a {@code QuotaFailure} quota id or the ErrorInfo {@code quota_limit} naming a minute. */
  boolean minuteQuota() {
    for (String id : quotaIds) {
      if (id.contains("PerMinute")) {
        return true;
      }
    }
    return metadata != null && Json.text(metadata, "quota_limit") != null
        && Json.text(metadata, "quota_limit").contains("PerMinute");
  }

  boolean reasonIs(String r) {
    return r.equals(reason);
  }

  /**
   * The browser link that clears a {@code VALIDATION_REQUIRED}: the first {@code Help} link, else the
   * ErrorInfo metadata's {@code validation_link} (or any URL in its metadata), else the first URL in the
   * message; null when there is none.
   */
  String validationLink() {
    if (!helpLinks.isEmpty()) {
      return helpLinks.get(0);
    }
    if (metadata != null) {
      String link = Json.text(metadata, "validation_link");
      if (link != null && !link.isBlank()) {
        return link;
      }
      for (JsonNode v : metadata) {
        if (v.isTextual() && URL.matcher(v.textValue()).lookingAt()) {
          return v.textValue();
        }
      }
    }
    Matcher m = URL.matcher(message);
    return m.find() ? m.group() : null;
  }

  /** {@code STATUS: message}, cut to 300 characters, for the account's records. */
  String summary() {
    String text = status == null || status.isBlank() ? message : message.isEmpty() ? status : status + ": " + message;
    return text.length() > 300 ? text.substring(0, 300) : text;
  }
}
