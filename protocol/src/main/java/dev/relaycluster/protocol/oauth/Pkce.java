package dev.relaycluster.protocol.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PKCE (RFC 7636) with the S256 method, and the OAuth state: a verifier and a state of 32 random
 * bytes each, base64url without padding; the challenge is base64url(SHA-256(verifier)).
 */
public record Pkce(String verifier, String challenge, String state) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  public static Pkce generate() {
    String verifier = random32();
    return new Pkce(verifier, challengeOf(verifier), random32());
  }

  public static String challengeOf(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return B64URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String random32() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return B64URL.encodeToString(b);
  }

  @Override
  public String toString() {
    return "Pkce[challenge=" + challenge + "]";
  }
}
