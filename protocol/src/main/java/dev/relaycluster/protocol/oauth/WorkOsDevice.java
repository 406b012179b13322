package dev.relaycluster.protocol.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WorkOS User Management wire format Factory's Droid CLI logs in with (RFC 8628 device flow, public client):
 * {@code POST {base}/user_management/authorize/device} with {@code client_id}, then
 * {@code POST {base}/user_management/authenticate} polled with the device-code grant, and the same endpoint with
 * the refresh grant (which names the organisation). Forms are {@code application/x-www-form-urlencoded}. Pure.
 */
public final class WorkOsDevice {
  public static final String AUTHORIZE_PATH = "/user_management/authorize/device";
  public static final String AUTHENTICATE_PATH = "/user_management/authenticate";
  public static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  private WorkOsDevice() {}

  /** The device authorization request. */
  public static byte[] authorizeForm(String clientId) {
    return OAuthForms.form(Map.of("client_id", clientId));
  }

  /** One poll of a device login. */
  public static byte[] deviceCodeForm(String clientId, String deviceCode) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", DEVICE_CODE_GRANT);
    f.put("device_code", deviceCode);
    f.put("client_id", clientId);
    return OAuthForms.form(f);
  }

  /** A token refresh; {@code organizationId} may be null (then not sent). */
  public static byte[] refreshForm(String clientId, String refreshToken, String organizationId) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "refresh_token");
    f.put("refresh_token", refreshToken);
    f.put("client_id", clientId);
    if (organizationId != null && !organizationId.isBlank()) {
      f.put("organization_id", organizationId);
    }
    return OAuthForms.form(f);
  }
}
