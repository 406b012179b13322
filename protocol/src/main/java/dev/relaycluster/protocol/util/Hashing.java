package dev.relaycluster.protocol.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests rendered as lower-case hex. */
public final class Hashing {

    /** One digest per thread: looking the algorithm up among the providers costs as much as hashing a key. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    });

    private Hashing() {
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code s}. */
    public static String sha256Hex(String s) {
        return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of {@code b}. */
    public static String sha256Hex(byte[] b) {
        return HexFormat.of().formatHex(sha256(b));
    }

    /** Raw SHA-256 of {@code b}. */
    public static byte[] sha256(byte[] b) {
        // digest(b) resets the digest, so each thread's one instance is ready for its next call.
        return SHA256.get().digest(b);
    }
}
