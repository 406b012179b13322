package dev.relaycluster.protocol.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void topLevelTypeSkipsNestedValues() {
        assertEquals("content_block_delta",
                Json.topLevelType("{\"index\":0,\"delta\":{\"type\":\"text_delta\"},\"type\":\"content_block_delta\"}"));
        assertEquals("ping", Json.topLevelType("{\"type\": \"ping\"}"));
        assertNull(Json.topLevelType("{\"index\":0}"));
        assertNull(Json.topLevelType("{\"type\":3}"));
        assertNull(Json.topLevelType("[{\"type\":\"x\"}]"));
        assertNull(Json.topLevelType("{\"type\""));
        assertNull(Json.topLevelType(""));
    }

    @Test
    void topLevelTypeOfPartOfAnArrayReadsOnlyThatPart() {
        byte[] b = "x{\"type\":\"ping\"}{\"type\":\"other\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("ping", Json.topLevelType(b, 1, 15));
        assertEquals("other", Json.topLevelType(b, 16, b.length - 16));
        assertNull(Json.topLevelType(b, 1, 8));
    }

    @Test
    void countAcceptsOnlyNonNegativeIntegers() throws Exception {
        var node = Json.parse("{\"a\":5,\"b\":-3,\"c\":\"7\",\"d\":1.5,\"e\":null}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(5, Json.count(node, "a"));
        assertEquals(0, Json.count(node, "b"));
        assertEquals(0, Json.count(node, "c"));
        assertEquals(0, Json.count(node, "d"));
        assertEquals(0, Json.count(node, "e"));
        assertEquals(0, Json.count(node, "missing"));
        assertEquals(0, Json.count(null, "a"));
    }
}
