package dev.relaycluster.admin;

import dev.relaycluster.protocol.util.Hashing;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recovery codes for an admin who lost the authenticator (pure, but for the random source): ten codes of 16
 * characters from a 32-letter alphabet without look-alikes (80 random bits each), shown as
 * {@code XXXX-XXXX-XXXX-XXXX}. Stored as SHA-256 of the admin's name and the normalised code: with 80 random
 * bits a fast hash is as safe as API keys' (which are stored the same way), and checking stays cheap.
 */
public final class RecoveryCodes {
  public static final int COUNT = 10;
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final int LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RecoveryCodes() {}

  /** Ten new codes, as shown to the admin. */
  public static List<String> generate() {
    List<String> out = new ArrayList<>(COUNT);
    for (int n = 0; n < COUNT; n++) {
      StringBuilder code = new StringBuilder(LENGTH + 3);
      for (int i = 0; i < LENGTH; i++) {
        if (i > 0 && i % 4 == 0) {
          code.append('-');
        }
        code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
      }
      out.add(code.toString());
    }
    return out;
  }

  /** The code as typed, upper-cased without dashes or spaces, if it can be a recovery code at all. */
  public static Optional<String> normalise(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String s = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    if (s.length() != LENGTH || !s.chars().allMatch(ch -> ALPHABET.indexOf(ch) >= 0)) {
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** What is stored for a (normalised or typed) code of this admin. */
  public static Optional<String> hash(String username, String typed) {
    return normalise(typed).map(code -> Hashing.sha256Hex(username + "\n" + code));
  }
}
