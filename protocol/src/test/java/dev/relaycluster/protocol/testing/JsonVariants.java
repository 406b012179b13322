package dev.relaycluster.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded variants of a JSON document for differential tests of streaming readers against tree reads: fields in
 * another order, fields given twice (with another value before or after), values of the wrong kind (strings,
 * fractions, negative and too big numbers, null, objects, arrays), nested objects that repeat the names a reader
 * looks for, escaped names, and, at the byte level, cut documents, trailing tokens, invalid UTF-8, a byte order
 * mark, zero bytes and a number too long for Jackson. Every variant is one line (no CR or LF).
 */
public final class JsonVariants {

    private static final String[] ODD_VALUES = {
        "-1", "0", "1.5", "1e3", "-0", "\"12\"", "null", "true", "{}", "[]", "[1,2]",
        "99999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "{\"input_tokens\":7,\"type\":\"error\",\"model\":\"nested\",\"usage\":{\"output_tokens\":9}}",
        "\"caf\u00e9 \ud83c\udf0d\"", "\"\\u0065rror\"", "\"\"", "2147483648", "4294967296"
    };

    private final SplittableRandom random;

    public JsonVariants(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A variant of {@code json} (a valid document) as UTF-8 bytes, possibly no longer valid JSON. */
    public byte[] of(String json) {
        JsonNode tree = Json.tryParse(json).orElseThrow();
        String text = write(tree, 0);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return random.nextInt(4) == 0 ? damage(bytes) : bytes;
    }

    private String write(JsonNode node, int depth) {
        if (node.isObject()) {
            List<String[]> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String value = random.nextInt(8) == 0 ? odd() : write(e.getValue(), depth + 1);
                fields.add(new String[] {e.getKey(), value});
            }
            if (random.nextInt(3) == 0 && !fields.isEmpty()) {
                // The same name again, with another value, before or after.
                String[] f = fields.get(random.nextInt(fields.size()));
                String[] again = {f[0], odd()};
                fields.add(random.nextBoolean() ? fields.size() : 0, again);
            }
            if (random.nextInt(4) == 0) {
                fields.add(random.nextInt(fields.size() + 1), new String[] {"extra", odd()});
            }
            if (random.nextInt(3) == 0) {
                shuffle(fields);
            }
            StringBuilder out = new StringBuilder("{");
            for (String[] f : fields) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(name(f[0])).append(':').append(f[1]);
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (JsonNode item : node) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(write(item, depth + 1));
            }
            return out.append(']').toString();
        }
        return node.toString();
    }

    private String name(String name) {
        String quoted = new String(Json.write(Json.mapper().getNodeFactory().textNode(name)),
                StandardCharsets.UTF_8);
        if (random.nextInt(20) == 0 && !name.isEmpty()) {
            // The same name with its first letter escaped: a tree reads it as the name.
            return "\"\\u" + String.format("%04x", (int) name.charAt(0)) + quoted.substring(2);
        }
        return quoted;
    }

    private String odd() {
        return ODD_VALUES[random.nextInt(ODD_VALUES.length)];
    }

    private void shuffle(List<String[]> fields) {
        for (int i = fields.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String[] t = fields.get(i);
            fields.set(i, fields.get(j));
            fields.set(j, t);
        }
    }

    private byte[] damage(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        switch (random.nextInt(9)) {
            case 0 -> out.write(bytes, 0, at);
            case 1 -> {
                out.writeBytes(bytes);
                out.writeBytes(random.nextBoolean() ? " x".getBytes(StandardCharsets.US_ASCII)
                        : " {}".getBytes(StandardCharsets.US_ASCII));
            }
            case 2 -> {
                out.write(bytes, 0, at);
                out.write(random.nextBoolean() ? 0xFF : 0xC0);
                out.write(bytes, at, bytes.length - at);
            }
            case 3 -> {
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                out.writeBytes(bytes);
            }
            case 4 -> {
                out.write(0);
                out.writeBytes(bytes);
            }
            case 5 -> {
                // A zero byte between two characters (a document read as UTF-16 by a byte guess).
                for (byte b : bytes) {
                    out.write(0);
                    out.write(b);
                }
            }
            case 6 -> {
                out.write(bytes, 0, at);
                out.writeBytes("1".repeat(1001).getBytes(StandardCharsets.US_ASCII));
                out.write(bytes, at, bytes.length - at);
            }
            case 7 -> {
                // An overlong or surrogate form, which Java's decoder replaces.
                out.write(bytes, 0, at);
                out.writeBytes(random.nextBoolean() ? new byte[] {(byte) 0xC1, (byte) 0xA9}
                        : new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
                out.write(bytes, at, bytes.length - at);
            }
            default -> out.writeBytes(" \t ".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] damaged = out.toByteArray();
        for (int i = 0; i < damaged.length; i++) {
            if (damaged[i] == '\n' || damaged[i] == '\r') {
                damaged[i] = ' ';
            }
        }
        return damaged;
    }
}
