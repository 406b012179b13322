package dev.relaycluster.protocol.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    private static final String HEX64 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @Test
    void generateIsPrefixAnd64LowerCaseHexOfTheRandomBytes() {
        SecureRandom counting = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) i;
                }
            }
        };
        assertEquals("cr_" + HEX64, ApiKeyFormat.generate(counting));
        String real = ApiKeyFormat.generate(new SecureRandom());
        assertEquals(67, real.length());
        assertTrue(ApiKeyFormat.isWellFormed(real));
        assertEquals(real.toLowerCase(java.util.Locale.ROOT), real);
    }

    @Test
    void wellFormedness() {
        assertTrue(ApiKeyFormat.isWellFormed("cr_" + HEX64));
        assertTrue(ApiKeyFormat.isWellFormed("cr_" + HEX64.toUpperCase(java.util.Locale.ROOT)));
        assertFalse(ApiKeyFormat.isWellFormed(null));
        assertFalse(ApiKeyFormat.isWellFormed(""));
        assertFalse(ApiKeyFormat.isWellFormed("CR_" + HEX64));
        assertFalse(ApiKeyFormat.isWellFormed("sk_" + HEX64));
        assertFalse(ApiKeyFormat.isWellFormed("cr_" + HEX64.substring(1)));
        assertFalse(ApiKeyFormat.isWellFormed("cr_" + HEX64 + "0"));
        assertFalse(ApiKeyFormat.isWellFormed("cr_" + HEX64.substring(1) + "g"));
        assertFalse(ApiKeyFormat.isWellFormed("cr_" + HEX64.substring(1) + "\uff10"));
        assertFalse(ApiKeyFormat.isWellFormed(" cr_" + HEX64.substring(1)));
    }

    @Test
    void hashIsSha256OfTheKey() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyFormat.hash("abc"));
    }
}
