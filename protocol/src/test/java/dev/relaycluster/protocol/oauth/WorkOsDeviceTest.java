package dev.relaycluster.protocol.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkOsDeviceTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void formsAsTheDroidCliSendsThem() {
    assertEquals("client_id=client_01X", text(WorkOsDevice.authorizeForm("client_01X")));
    assertEquals("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=dc%2B1"
        + "&client_id=client_01X", text(WorkOsDevice.deviceCodeForm("client_01X", "dc+1")));
    assertEquals("grant_type=refresh_token&refresh_token=rt&client_id=c&organization_id=org_1",
        text(WorkOsDevice.refreshForm("c", "rt", "org_1")));
    assertEquals("grant_type=refresh_token&refresh_token=rt&client_id=c", text(WorkOsDevice.refreshForm("c", "rt", null)));
  }

  @Test
  void deviceAuthorizationAnswer() {
    DeviceAuthorization a = DeviceAuthorization.parse(utf8("{\"device_code\":\"dc\",\"user_code\":\"ABCD-EFGH\","
        + "\"verification_uri\":\"https://auth.factory.ai/device\",\"verification_uri_complete\":"
        + "\"https://auth.factory.ai/device?user_code=ABCD-EFGH\",\"expires_in\":300,\"interval\":5}"));
    assertEquals("dc", a.deviceCode());
    assertEquals("ABCD-EFGH", a.userCode());
    assertEquals("https://auth.factory.ai/device?user_code=ABCD-EFGH", a.verificationUriComplete());
    assertEquals(300, a.expiresIn());
    assertEquals(5, a.interval());
    assertFalse(a.toString().contains("dc,"));
    DeviceAuthorization bare = DeviceAuthorization.parse(utf8(
        "{\"device_code\":\"dc\",\"user_code\":\"U\",\"verification_uri\":\"https://x/device\"}"));
    assertEquals("https://x/device", bare.verificationUriComplete());
    assertEquals(5, bare.interval());
    assertThrows(IllegalArgumentException.class, () -> DeviceAuthorization.parse(utf8("{\"user_code\":\"U\"}")));
    assertThrows(IllegalArgumentException.class, () -> DeviceAuthorization.parse(utf8("<html>")));
  }

  @Test
  void pollOutcomes() {
    DevicePoll t = DevicePoll.parse(200, utf8("{\"user\":{\"id\":\"user_1\"},\"organization_id\":\"org_1\","
        + "\"access_token\":\"at\",\"refresh_token\":\"rt\",\"authentication_method\":\"GoogleOAuth\"}"));
    assertEquals(DevicePoll.Kind.TOKENS, t.kind());
    assertEquals("at", t.accessToken());
    assertEquals("rt", t.refreshToken());
    assertEquals("org_1", t.organizationId());
    assertFalse(t.toString().contains("at,"));
    assertEquals(DevicePoll.Kind.PENDING, DevicePoll.parse(400, utf8("{\"error\":\"authorization_pending\","
        + "\"error_description\":\"pending\"}")).kind());
    assertEquals(DevicePoll.Kind.SLOW_DOWN, DevicePoll.parse(400, utf8("{\"error\":\"slow_down\"}")).kind());
    assertEquals(DevicePoll.Kind.EXPIRED, DevicePoll.parse(400, utf8("{\"error\":\"expired_token\"}")).kind());
    assertEquals(DevicePoll.Kind.DENIED, DevicePoll.parse(400, utf8("{\"error\":\"access_denied\"}")).kind());
    DevicePoll failed = DevicePoll.parse(500, utf8("oops"));
    assertEquals(DevicePoll.Kind.FAILED, failed.kind());
    assertEquals("WorkOS answered 500", failed.error());
    assertEquals("WorkOS answered 400 (invalid_grant)",
        DevicePoll.parse(400, utf8("{\"error\":\"invalid_grant\"}")).error());
    assertEquals(DevicePoll.Kind.FAILED, DevicePoll.parse(200, utf8("{}")).kind());
    assertNull(DevicePoll.parse(200, utf8("{\"access_token\":\"a\"}")).organizationId());
    assertTrue(DevicePoll.parse(200, utf8("{\"access_token\":\"a\"}")).refreshToken() == null);
  }
}
