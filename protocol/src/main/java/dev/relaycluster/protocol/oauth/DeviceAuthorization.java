package dev.relaycluster.protocol.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;

/**
 * A device authorization answer (RFC 8628 §3.2): the code the relay polls with, the code and page the user
 * opens, how long the code lives and how often to poll (seconds; 5 when not sent).
 */
public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri,
    String verificationUriComplete, long expiresIn, long interval) {

  /** @throws IllegalArgumentException when the body is not a device authorization answer */
  public static DeviceAuthorization parse(byte[] body) {
    JsonNode n = Json.tryParse(body).orElseThrow(() ->
        new IllegalArgumentException("the device authorization answer is not JSON"));
    String deviceCode = n.path("device_code").asText("");
    String userCode = n.path("user_code").asText("");
    String uri = n.path("verification_uri").asText("");
    if (deviceCode.isBlank() || userCode.isBlank() || uri.isBlank()) {
      throw new IllegalArgumentException("the device authorization answer lacks device_code, user_code or "
          + "verification_uri");
    }
    String complete = n.path("verification_uri_complete").isTextual() ? n.path("verification_uri_complete").asText()
        : uri;
    long interval = n.path("interval").asLong(0);
    return new DeviceAuthorization(deviceCode, userCode, uri, complete, n.path("expires_in").asLong(300),
        interval > 0 ? interval : 5);
  }

  @Override
  public String toString() {
    return "DeviceAuthorization[deviceCode=****, userCode=" + userCode + ", verificationUri=" + verificationUri
        + ", expiresIn=" + expiresIn + ", interval=" + interval + "]";
  }
}
