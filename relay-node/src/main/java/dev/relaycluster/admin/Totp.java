package dev.relaycluster.admin;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA-1, 30-second steps,
 * six digits, computed by java-otp. A code is accepted for the current step or one step either side (a
 * clock a little off); which step matched is returned, so the caller can refuse a step already used.
 */
public final class Totp {
  public static final Duration STEP = Duration.ofSeconds(30);
  public static final int SECRET_BYTES = 20;
  private static final String ISSUER = "Relay Cluster";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TimeBasedOneTimePasswordGenerator generator;
  private final int digits;

  public Totp() {
    this(6);
  }

  Totp(int digits) {
    this.digits = digits;
    this.generator = new TimeBasedOneTimePasswordGenerator(STEP, digits,
        TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
  }

  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The secret as authenticator apps take it typed in: RFC 4648 base32 without padding. */
  public static String base32(byte[] secret) {
    return new String(Base32.encode(secret), StandardCharsets.US_ASCII).replace("=", "");
  }

  /** The {@code otpauth://totp/…} URI a QR code carries. */
  public static String otpauthUri(String username, byte[] secret) {
    String label = encode(ISSUER) + ":" + encode(username);
    return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + encode(ISSUER)
        + "&algorithm=SHA1&digits=6&period=" + STEP.toSeconds();
  }

  public static long stepAt(Instant time) {
    return Math.floorDiv(time.getEpochSecond(), STEP.toSeconds());
  }

  /** The code for a time. */
  public String code(byte[] secret, Instant time) {
    try {
      return generator.generateOneTimePasswordString(new SecretKeySpec(secret, "HmacSHA1"), time, Locale.ROOT);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not a usable TOTP secret", e);
    }
  }

  /** The step (now, one before or one after) whose code this is, if any. Codes are compared in constant time. */
  public OptionalLong matchingStep(byte[] secret, String code, Instant now) {
    String given = code == null ? "" : code.strip();
    if (given.length() != digits || !given.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    long current = stepAt(now);
    OptionalLong found = OptionalLong.empty();
    for (long step = current - 1; step <= current + 1; step++) {
      String expected = code(secret, Instant.ofEpochSecond(step * STEP.toSeconds()));
      if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))
          && found.isEmpty()) {
        found = OptionalLong.of(step);
      }
    }
    return found;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
