package dev.relaycluster.protocol.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashingTest {

    @Test
    void knownVectors() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hashing.sha256Hex(""));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Hashing.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void stringsAreHashedAsUtf8() {
        assertEquals(Hashing.sha256Hex(new byte[] {(byte) 0xC3, (byte) 0xA9}), Hashing.sha256Hex("\u00e9"));
    }
}
