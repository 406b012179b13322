package dev.relaycluster.protocol.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming reads of message_start, message_delta and error data, case by case. */
class EventFieldsTest {

    @Test
    void messageStartInAnyOrderWithTheContentSkipped() throws IOException {
        EventFields.Start start = start("{\"message\":{\"usage\":{\"cache_creation\":{\"ephemeral_1h_input_tokens\":20,"
                + "\"ephemeral_5m_input_tokens\":10},\"output_tokens\":1,\"input_tokens\":3,\"server_tool_use\":"
                + "{\"web_search_requests\":2}},\"content\":[{\"type\":\"text\",\"text\":\"{\\\"model\\\":\\\"no\\\"}\","
                + "\"usage\":{\"input_tokens\":999}}],\"model\":\"claude-x\"},\"type\":\"message_start\"}");
        assertEquals("claude-x", start.model());
        assertEquals(new UsageFields(3, 0, 0, 1, true, true, 10, 20), start.usage());
    }

    @Test
    void aFieldGivenTwiceCountsWithItsLastValue() throws IOException {
        EventFields.Start start = start("{\"message\":{\"model\":\"first\",\"usage\":{\"input_tokens\":5,"
                + "\"input_tokens\":7,\"cache_creation\":{\"ephemeral_5m_input_tokens\":4},\"cache_creation\":null},"
                + "\"model\":\"last\"}}");
        assertEquals("last", start.model());
        assertEquals(new UsageFields(7, 0, 0, 0, false, false, 0, 0), start.usage());
        // The last message object is the message, as in a tree; one that is not an object means none.
        assertEquals("b", start("{\"message\":{\"model\":\"a\"},\"message\":{\"model\":\"b\"}}").model());
        assertNull(start("{\"message\":{\"model\":\"a\"},\"message\":[]}"));
        assertNull(start("{\"message\":{\"model\":1}}").model());
    }

    @Test
    void countsThatAreNotNonNegativeLongsAreZero() throws IOException {
        for (String count : List.of("-1", "1.5", "1e3", "\"12\"", "true", "{}", "[3]", "99999999999999999999",
                "9223372036854775808")) {
            UsageFields usage = start("{\"message\":{\"usage\":{\"input_tokens\":" + count + "}}}").usage();
            assertEquals(0, usage.input(), count);
        }
        assertEquals(Long.MAX_VALUE,
                start("{\"message\":{\"usage\":{\"input_tokens\":9223372036854775807}}}").usage().input());
        // A number longer than Jackson reads makes the whole event no JSON, as it made the tree.
        assertThrows(IOException.class, () -> start("{\"message\":{\"usage\":{},\"id\":" + "1".repeat(1001) + "}}"));
    }

    @Test
    void malformedOrTrailingDataIsNoEvent() throws IOException {
        for (String bad : List.of("{\"message\":{\"model\":\"m\"}", "{\"message\":{}} x", "{\"message\":{}}{}",
                "{message:{}}", "{\"message\":{\"model\":\"m\",}}")) {
            EventFields.Start start;
            try {
                start = start(bad);
            } catch (IOException e) {
                start = null;
            }
            assertNull(start, bad);
            assertEquals(Json.tryParse(bad).isPresent(), start != null);
        }
        assertNull(start(""));
        assertEquals(new EventFields.Delta(null, null), delta("  "));
        assertEquals(new EventFields.Failure(null, null), error("42"));
    }

    @Test
    void messageDeltaAndError() throws IOException {
        EventFields.Delta delta = delta("{\"usage\":{\"output_tokens\":57,\"output_tokens\":null},\"type\":"
                + "\"message_delta\",\"delta\":{\"stop_sequence\":null,\"stop_reason\":\"end_turn\"}}");
        assertEquals("end_turn", delta.stopReason());
        assertEquals(new UsageFields(0, 0, 0, 0, false, false, 0, 0), delta.usage());
        assertNull(delta("{\"delta\":{\"stop_reason\":\"a\"},\"delta\":\"b\"}").stopReason());
        assertEquals(new EventFields.Failure("overloaded_error", "Overloaded"),
                error("{\"error\":{\"message\":\"Overloaded\",\"details\":{\"type\":\"x\"},\"type\":\"overloaded_error\"},"
                        + "\"type\":\"error\"}"));
        assertEquals(new EventFields.Failure(null, null), error("{\"error\":{\"type\":\"a\"},\"error\":\"b\"}"));
    }

    @Test
    void theStreamingReadOfAUsageObjectIsTheTreeRead() throws IOException {
        for (String usage : List.of("{}", "{\"input_tokens\":1,\"cache_read_input_tokens\":2,"
                + "\"cache_creation_input_tokens\":3,\"output_tokens\":4,\"cache_creation\":{\"ephemeral_5m_input_tokens\""
                + ":5,\"ephemeral_1h_input_tokens\":6,\"other\":[1]}}", "{\"output_tokens\":null}",
                "{\"output_tokens\":\"x\"}", "{\"cache_creation\":[],\"cache_creation\":{}}")) {
            assertEquals(UsageFields.of(Json.tryParse(usage).orElseThrow()),
                    start("{\"message\":{\"usage\":" + usage + "}}").usage(), usage);
        }
        assertNull(UsageFields.of(Json.tryParse("[]").orElseThrow()));
    }

    private static EventFields.Start start(String data) throws IOException {
        try (JsonTokens r = JsonTokens.of(data)) {
            return EventFields.start(r);
        }
    }

    private static EventFields.Delta delta(String data) throws IOException {
        try (JsonTokens r = JsonTokens.of(data)) {
            return EventFields.delta(r);
        }
    }

    private static EventFields.Failure error(String data) throws IOException {
        try (JsonTokens r = JsonTokens.of(data)) {
            return EventFields.error(r);
        }
    }
}
