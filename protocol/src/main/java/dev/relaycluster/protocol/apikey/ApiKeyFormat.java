package dev.relaycluster.protocol.apikey;

import dev.relaycluster.protocol.util.Hashing;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Format of relay API keys: {@code cr_} followed by 64 hex digits (32 random bytes); stored only as a hash. */
public final class ApiKeyFormat {

    /** Prefix of every relay API key. */
    public static final String PREFIX = "cr_";

    private static final int RANDOM_BYTES = 32;
    private static final int LENGTH = PREFIX.length() + 2 * RANDOM_BYTES;

    private ApiKeyFormat() {
    }

    /** A new key: the prefix and 64 lower-case hex digits from {@code rnd}. */
    public static String generate(SecureRandom rnd) {
        byte[] bytes = new byte[RANDOM_BYTES];
        rnd.nextBytes(bytes);
        return PREFIX + HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code s} is the prefix followed by exactly 64 hex digits of either case. */
    public static boolean isWellFormed(String s) {
        if (s == null || s.length() != LENGTH || !s.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }

    /** The lower-case hex SHA-256 of the key's UTF-8 bytes, as stored. */
    public static String hash(String plainKey) {
        return Hashing.sha256Hex(plainKey);
    }
}
