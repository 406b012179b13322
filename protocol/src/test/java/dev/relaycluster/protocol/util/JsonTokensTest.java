package dev.relaycluster.protocol.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.testing.JsonVariants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming read answers as the tree read it stands in for: the same documents are JSON, the same values
 * count, and bytes said to read as their text do.
 */
class JsonTokensTest {

    private static final List<String> DOCUMENTS = List.of(
            "{\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":3}}}",
            "{\"a\":1,\"a\":{\"b\":[1,2,{\"c\":null}]}}",
            "[1,\"two\",{\"three\":3.0}]",
            "\"text\"", "42", "-0", "1e999", "null", "true",
            "", "   ", "\t\r\n",
            "{} x", "{}{}", "{} {", "[] ]", "{", "{\"a\":}", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":01}",
            "{\"a\":NaN}", "nul", "{\"a\":\"unterminated}",
            "{\"a\":" + "1".repeat(1000) + "}",
            "{\"a\":" + "1".repeat(1001) + "}",
            "{\"a\":1." + "5".repeat(1001) + "}",
            "[".repeat(1000) + "]".repeat(1000),
            "[".repeat(1001) + "]".repeat(1001),
            "{\"" + "n".repeat(50_001) + "\":1}",
            "{\"\\u0074ype\":\"caf\\u00e9\"}",
            "{\"a\":\"\u00e9\ud83c\udf0d\"}");

    @Test
    void documentsAreJsonExactlyWhenATreeReadsThem() {
        for (String doc : DOCUMENTS) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            assertEquals(Json.tryParse(bytes).isPresent(), JsonTokens.isJson(bytes), abbreviated(doc));
        }
        List<byte[]> odd = List.of(
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'},
                new byte[] {0, '{', 0, '}'},
                new byte[] {'{', 0, '}', 0},
                new byte[] {'"', (byte) 0xFF, '"'},
                new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'},
                new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
                new byte[] {'{', '}', 0});
        for (byte[] bytes : odd) {
            assertEquals(Json.tryParse(bytes).isPresent(), JsonTokens.isJson(bytes), Arrays.toString(bytes));
        }
        JsonVariants variants = new JsonVariants(11);
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = variants.of(DOCUMENTS.get(i % 4));
            assertEquals(Json.tryParse(bytes).isPresent(), JsonTokens.isJson(bytes),
                    new String(bytes, StandardCharsets.UTF_8));
        }
        assertFalse(JsonTokens.isJson(null));
    }

    @Test
    void aStringLongerThanJacksonTakesIsNoJsonEither() {
        int limit = Json.mapper().getFactory().streamReadConstraints().getMaxStringLength();
        for (int length : new int[] {limit, limit + 1}) {
            byte[] bytes = new byte[length + 8];
            Arrays.fill(bytes, (byte) 'x');
            System.arraycopy("[1,\"".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
            System.arraycopy("\",2]".getBytes(StandardCharsets.US_ASCII), 0, bytes, length + 4, 4);
            boolean tree = Json.tryParse(bytes).isPresent();
            assertEquals(length <= limit, tree, "the tree read's limit");
            assertEquals(tree, JsonTokens.isJson(bytes), "a string of " + length + " characters");
        }
    }

    @Test
    void countsAndTextsReadAsFromATree() throws IOException {
        List<String> values = List.of("5", "0", "-3", "1.5", "5.0", "1e3", "\"7\"", "null", "true", "{}", "[]",
                "{\"x\":{\"y\":[1]}}", "[1,{\"a\":2}]", "\"text\"", "\"\"", "2147483648", "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "123456789012345678901234567890", "\"\\u00e9\"");
        for (String v : values) {
            for (String w : values) {
                // A field given twice, another one after, and a nested value to skip before.
                String doc = "{\"skip\":{\"a\":1,\"b\":[{\"a\":2}]},\"a\":" + v + ",\"a\":" + w + ",\"z\":" + v + "}";
                JsonNode tree = Json.tryParse(doc).orElseThrow();
                assertEquals(Json.count(tree, "a"), read(doc, "a", false), doc);
                assertEquals(Json.text(tree, "a"), read(doc, "a", true), doc);
                String nested = "{\"o\":{\"a\":" + v + ",\"q\":[" + w + "],\"a\":" + w + "}}";
                JsonNode inner = Json.tryParse(nested).orElseThrow().get("o");
                String outer = "{\"o\":" + v + "}";
                JsonNode notObject = Json.tryParse(outer).orElseThrow().get("o");
                try (JsonTokens r = JsonTokens.of(nested)) {
                    assertEquals(JsonToken.START_OBJECT, r.next());
                    assertEquals(JsonToken.FIELD_NAME, r.next());
                    assertEquals(Json.count(inner, "a"), r.count(r.next(), "a"), nested);
                    assertEquals(JsonToken.END_OBJECT, r.next());
                    assertTrue(r.ended());
                }
                try (JsonTokens r = JsonTokens.of(nested)) {
                    r.next();
                    r.next();
                    assertEquals(Json.text(inner, "a"), r.text(r.next(), "a"), nested);
                }
                try (JsonTokens r = JsonTokens.of(outer)) {
                    r.next();
                    r.next();
                    assertEquals(Json.count(notObject, "a"), r.count(r.next(), "a"), outer);
                    assertEquals(JsonToken.END_OBJECT, r.next());
                }
            }
        }
    }

    @Test
    void endedSeesTrailingTokens() throws IOException {
        try (JsonTokens r = JsonTokens.of("{\"a\":[1,2]} {}")) {
            r.skip(r.next());
            assertFalse(r.ended());
        }
        try (JsonTokens r = JsonTokens.of("{\"a\":[1,2]}  ")) {
            r.skip(r.next());
            assertTrue(r.ended());
        }
    }

    @Test
    void readsAsDecodedIsWellFormedUtf8WithNoEncodingToGuess() {
        assertTrue(JsonTokens.readsAsDecoded(new byte[0], 0, 0));
        assertTrue(reads("{\"a\":\"caf\u00e9 \u20ac \ud83c\udf0d\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(reads(new byte[] {'{', '}', ' ', ' ', 0}));
        assertFalse(reads(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}));
        assertFalse(reads(new byte[] {'{', '}', ' ', 0}));
        assertFalse(reads(new byte[] {0, '{'}));
        assertFalse(reads(new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'}));
        assertFalse(reads(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}));
        assertFalse(reads(new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}));
        assertFalse(reads(new byte[] {'"', (byte) 0xE2, (byte) 0x82}));
        assertFalse(reads(new byte[] {'"', (byte) 0x80, '"'}));
        // Only the given range counts.
        byte[] framed = {(byte) 0xFF, '{', '}', (byte) 0xFF};
        assertTrue(JsonTokens.readsAsDecoded(framed, 1, 2));

        SplittableRandom random = new SplittableRandom(5);
        byte[] alphabet = {'a', '{', '"', 0, (byte) 0x80, (byte) 0xBF, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0,
            (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0x9F, (byte) 0xA0, (byte) 0xBB};
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[random.nextInt(9)];
            for (int k = 0; k < b.length; k++) {
                b[k] = alphabet[random.nextInt(alphabet.length)];
            }
            byte[] again = new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            boolean guessed = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
            for (int k = 0; k < Math.min(4, b.length); k++) {
                guessed |= b[k] == 0;
            }
            assertEquals(Arrays.equals(b, again) && !guessed, reads(b), Arrays.toString(b));
        }
    }

    @Test
    void bytesThatReadAsDecodedGiveTheTreeOfTheirText() {
        JsonVariants variants = new JsonVariants(3);
        int compared = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = variants.of(DOCUMENTS.get(i % 2 == 0 ? 0 : DOCUMENTS.size() - 1));
            if (reads(bytes)) {
                compared++;
                Optional<JsonNode> fromText = Json.tryParse(new String(bytes, StandardCharsets.UTF_8));
                assertEquals(fromText, Json.tryParse(bytes), new String(bytes, StandardCharsets.UTF_8));
            }
        }
        assertTrue(compared > 1000, "variants compared: " + compared);
    }

    private static boolean reads(byte[] b) {
        return JsonTokens.readsAsDecoded(b, 0, b.length);
    }

    /** The count (or text) of top-level field {@code name}: its last value, the others skipped. */
    private static Object read(String doc, String name, boolean text) throws IOException {
        Object found = text ? null : 0L;
        try (JsonTokens r = JsonTokens.of(doc)) {
            assertEquals(JsonToken.START_OBJECT, r.next());
            List<String> names = new ArrayList<>();
            while (r.next() == JsonToken.FIELD_NAME) {
                names.add(r.name());
                JsonToken value = r.next();
                if (name.equals(r.name())) {
                    found = text ? r.text(value) : (Object) r.count(value);
                } else {
                    r.skip(value);
                }
            }
            assertTrue(r.ended());
            assertEquals(List.of("skip", "a", "a", "z"), names);
        }
        return found;
    }

    private static String abbreviated(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "… (" + s.length() + ")" : s;
    }
}
