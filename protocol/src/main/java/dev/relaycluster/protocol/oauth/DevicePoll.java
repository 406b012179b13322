package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;

/**
 * What one answer of WorkOS's authenticate endpoint says (a device-code poll or a refresh): tokens with the
 * organisation they are for, or one of RFC 8628's waits and ends ({@code authorization_pending},
 * {@code slow_down}, {@code expired_token}, {@code access_denied}), or another failure with its error code.
 * {@code accessToken}, {@code refreshToken} and {@code organizationId} are set only for {@link Kind#TOKENS}.
 */
public record DevicePoll(Kind kind, String accessToken, String refreshToken, String organizationId, String error) {

  /** The outcome classes. */
  public enum Kind { TOKENS, PENDING, SLOW_DOWN, EXPIRED, DENIED, FAILED }

  /** Reads an answer of status {@code status}. */
  public static DevicePoll parse(int status, byte[] body) {
    JsonNode n = body == null ? null : Json.tryParse(body).orElse(null);
    if (status == 200) {
      String access = n == null ? "" : n.path("access_token").asText("");
      if (access.isBlank()) {
        return failed("the authenticate answer has no access_token");
      }
      String refresh = n.path("refresh_token").asText("");
      String org = n.path("organization_id").asText("");
      return new DevicePoll(Kind.TOKENS, access, refresh.isBlank() ? null : refresh, org.isBlank() ? null : org, null);
    }
    String code = n == null ? "" : n.path("error").isTextual() ? n.path("error").asText() : n.path("code").asText("");
    return switch (code) {
      case "authorization_pending" -> new DevicePoll(Kind.PENDING, null, null, null, code);
      case "slow_down" -> new DevicePoll(Kind.SLOW_DOWN, null, null, null, code);
      case "expired_token" -> new DevicePoll(Kind.EXPIRED, null, null, null, code);
      case "access_denied" -> new DevicePoll(Kind.DENIED, null, null, null, code);
      default -> failed("WorkOS answered " + status + (code.matches("[A-Za-z0-9_.-]{1,64}") ? " (" + code + ")" : ""));
    };
  }

  private static DevicePoll failed(String why) {
    return new DevicePoll(Kind.FAILED, null, null, null, why);
  }

  @Override
  public String toString() {
    return "DevicePoll[kind=" + kind + ", organizationId=" + organizationId + ", error=" + error + "]";
  }
}
