package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * Reading the fields of an account's admin body (create, edit, token imports): each helper answers the
 * field's value or throws an {@link AdminInputException} that names the field and what it must be.
 */
final class AccountFields {
  private AccountFields() {}

  /** Epoch milliseconds, or an ISO-8601 instant. */
  static long expiresAt(JsonNode node) {
    if (node.isNumber()) {
      return node.asLong();
    }
    try {
      return java.time.Instant.parse(node.asText()).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      throw AdminInputException.invalid("expiresAt: epoch milliseconds or an ISO-8601 time, e.g. 2026-12-01T00:00:00Z");
    }
  }

  static boolean paused(JsonNode body, boolean dflt) {
    if (body.has("paused")) {
      return bool(body, "paused");
    }
    if (body.has("schedulable")) {
      return !bool(body, "schedulable");
    }
    if (body.has("status")) {
      return switch (body.get("status").asText()) {
        case "paused" -> true;
        case "active" -> false;
        default -> throw AdminInputException.invalid("status: must be \"active\" or \"paused\"");
      };
    }
    return dflt;
  }

  private static boolean bool(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (!n.isBoolean()) {
      throw AdminInputException.invalid(field + ": must be true or false");
    }
    return n.asBoolean();
  }

  static String baseUrl(String value) {
    try {
      URI uri = URI.create(value);
      if ((!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw AdminInputException.invalid("baseUrl: must be an http(s) URL, e.g. https://api.anthropic.com");
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw AdminInputException.invalid("baseUrl: must be an http(s) URL, e.g. https://api.anthropic.com");
    }
  }

  static String required(JsonNode body, String field) {
    String v = text(body, field, null);
    if (v == null || v.isBlank()) {
      throw AdminInputException.invalid(field + ": required");
    }
    return v.strip();
  }

  static String text(JsonNode body, String field, String dflt) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw AdminInputException.invalid(field + ": must be a string");
    }
    return n.asText();
  }

  static int integer(JsonNode body, String field, int dflt, int min) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min) {
      throw AdminInputException.invalid(field + ": must be an integer of at least " + min);
    }
    return n.asInt();
  }
}
