package dev.relaycluster.admin.crs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading claude-relay-service's string fields (pure): numbers, flags, times, JSON arrays. */
final class CrsFields {
  private CrsFields() {}

  static String text(Map<String, String> f, String name) {
    String v = f.get(name);
    return v == null || v.isBlank() || v.equals("null") || v.equals("undefined") ? null : v.strip();
  }

  static boolean flag(Map<String, String> f, String name, boolean dflt) {
    String v = text(f, name);
    return v == null ? dflt : v.equalsIgnoreCase("true") || v.equals("1");
  }

  static long integer(Map<String, String> f, String name, long dflt) {
    String v = text(f, name);
    if (v == null) {
      return dflt;
    }
    try {
      return new BigDecimal(v).setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      return dflt;
    }
  }

  /** A USD amount as micro-dollars (0 when absent or not a number). */
  static long usdMicros(Map<String, String> f, String name) {
    String v = text(f, name);
    return v == null ? 0 : usdMicros(v);
  }

  static long usdMicros(String v) {
    try {
      BigDecimal usd = new BigDecimal(v.strip());
      return usd.signum() <= 0 ? 0 : usd.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      return 0;
    }
  }

  /** A time as CRS writes it (ISO-8601 or epoch millis); 0 when absent or unreadable. */
  static long time(Map<String, String> f, String name) {
    String v = text(f, name);
    if (v == null) {
      return 0;
    }
    if (v.matches("\\d{10,16}")) {
      long n = Long.parseLong(v);
      return n < 100_000_000_000L ? n * 1000 : n;
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        return 0;
      }
    }
  }

  /** A JSON array of strings (or a comma-separated list); empty when absent. */
  static List<String> strings(Map<String, String> f, String name) {
    String v = text(f, name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    JsonNode n = Json.tryParse(v).orElse(null);
    if (n != null && n.isArray()) {
      n.forEach(e -> {
        if (e.isTextual() && !e.asText().isBlank()) {
          out.add(e.asText().strip());
        }
      });
    } else if (n == null || n.isTextual()) {
      for (String s : (n == null ? v : n.asText()).split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  static JsonNode json(Map<String, String> f, String name) {
    String v = text(f, name);
    return v == null ? null : Json.tryParse(v).orElse(null);
  }
}
