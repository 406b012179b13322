package dev.relaycluster.alerts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The request signatures of the channels that have them. */
public final class AlertSigning {
  private AlertSigning() {}

  /**
   * Feishu/Lark custom bot: Base64(HmacSHA256(key = timestamp + "\n" + secret, data = empty)),
   * timestamp in seconds, both sent in the JSON body.
   */
  public static String feishu(String secret, long timestampSeconds) {
    return Base64.getEncoder().encodeToString(
        hmac((timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8), new byte[0]));
  }

  /**
   * DingTalk custom robot: URL-encoded Base64(HmacSHA256(key = secret, data = timestamp + "\n" +
   * secret)), timestamp in milliseconds, both sent as query parameters.
   */
  public static String dingTalk(String secret, long timestampMillis) {
    byte[] mac = hmac(secret.getBytes(StandardCharsets.UTF_8),
        (timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
    return URLEncoder.encode(Base64.getEncoder().encodeToString(mac), StandardCharsets.UTF_8);
  }

  /**
   * Our generic webhook: {@code sha256=} + hex(HmacSHA256(key = secret, data = timestamp + "." + body)),
   * timestamp in seconds; sent as {@code X-Relay-Signature} with {@code X-Relay-Timestamp}.
   */
  public static String generic(String secret, long timestampSeconds, byte[] body) {
    byte[] prefix = (timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, data, 0, prefix.length);
    System.arraycopy(body, 0, data, prefix.length, body.length);
    return "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), data));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
