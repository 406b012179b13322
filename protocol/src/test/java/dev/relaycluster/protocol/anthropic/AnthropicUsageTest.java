package dev.relaycluster.protocol.anthropic;

import dev.relaycluster.protocol.usage.MessageUsage;
import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.protocol.usage.TokenUsage;
import org.junit.jupiter.api.Test;

class AnthropicUsageTest {

    @Test
    void readsANonStreamingMessage() {
        byte[] body = utf8("{\"id\":\"msg_013Zva2CMHLNnXjNJJKqJ2EF\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-opus-4-5-20251101\",\"content\":[{\"type\":\"text\",\"text\":\"Hi!\"}],"
                + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
                + "\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":4000,\"cache_creation\":"
                + "{\"ephemeral_5m_input_tokens\":60,\"ephemeral_1h_input_tokens\":40},\"output_tokens\":12,"
                + "\"service_tier\":\"standard\"}}");
        assertEquals(new MessageUsage("claude-opus-4-5-20251101", new TokenUsage(25, 12, 4000, 60, 40)),
                AnthropicUsage.fromMessageBytes(body));
    }

    @Test
    void withoutBreakdownCacheCreationIsFiveMinute() {
        byte[] body = utf8("{\"model\":\"m\",\"usage\":{\"input_tokens\":3,\"cache_creation_input_tokens\":50,\"output_tokens\":4}}");
        assertEquals(new MessageUsage("m", new TokenUsage(3, 4, 0, 50, 0)), AnthropicUsage.fromMessageBytes(body));
    }

    @Test
    void missingUsageIsZero() {
        assertEquals(new MessageUsage("m", TokenUsage.ZERO), AnthropicUsage.fromMessageBytes(utf8("{\"model\":\"m\"}")));
    }

    @Test
    void unparseableOrAbsentBodyGivesNoModelAndZero() {
        MessageUsage none = new MessageUsage(null, TokenUsage.ZERO);
        assertEquals(none, AnthropicUsage.fromMessageBytes(utf8("{\"model\":")));
        assertEquals(none, AnthropicUsage.fromMessageBytes(utf8("[1,2]")));
        assertEquals(none, AnthropicUsage.fromMessageBytes(new byte[0]));
        assertEquals(none, AnthropicUsage.fromMessageBytes(null));
        assertEquals(none, AnthropicUsage.fromMessage(null));
    }
}
