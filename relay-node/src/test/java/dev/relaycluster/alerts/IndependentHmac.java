package dev.relaycluster.alerts;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** HMAC-SHA256 by BouncyCastle, a second implementation to check the JDK-based signers against. */
final class IndependentHmac {
  private IndependentHmac() {}

  static byte[] sha256(String key, String data) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key.getBytes(StandardCharsets.UTF_8)));
    byte[] in = data.getBytes(StandardCharsets.UTF_8);
    mac.update(in, 0, in.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }
}
