package dev.relaycluster.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads test fixtures from the test classpath. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The bytes of classpath resource {@code path} (without leading slash). */
    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real Anthropic Messages stream fixture, LF line ends. */
    public static byte[] anthropicStream() {
        return bytes("fixtures/anthropic-stream.sse");
    }

    /** {@code s} as UTF-8. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
