package dev.relaycluster.protocol.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming reads of Chat chunks and Responses events, case by case and against the tree reads. */
class StreamFieldsTest {

    @Test
    void aChatChunkInAnyOrderWithItsChoicesSkipped() throws IOException {
        ChatChunk chunk = chunk("{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":24},\"completion_tokens\":5,"
                + "\"prompt_tokens\":100},\"choices\":[{\"delta\":{\"content\":\"\\\"usage\\\":{}\"},\"usage\":{}}],"
                + "\"model\":\"gpt-x\",\"error\":null}");
        assertEquals(new ChatChunk(false, "gpt-x", new TokenUsage(76, 5, 24, 0, 0)), chunk);
        assertEquals(new ChatChunk(false, null, null), chunk("{\"usage\":{\"prompt_tokens\":1},\"usage\":null}"));
        assertEquals(new ChatChunk(true, null, null), chunk("{\"error\":{\"message\":\"x\"}}"));
        assertEquals(new ChatChunk(true, null, null), chunk("{\"error\":\"x\"}"));
        assertNull(chunk("[{\"model\":\"m\"}]"));
        assertNull(chunk(""));
        assertNull(chunk("{\"model\":\"m\"} {}"));
        assertThrows(IOException.class, () -> chunk("{\"model\":\"m\""));
        // Cached tokens above the prompt's are the prompt's, as in the tree read.
        assertEquals(new TokenUsage(0, 0, 3, 0, 0),
                chunk("{\"usage\":{\"prompt_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":9}}}").usage());
    }

    @Test
    void chatUsageReadsAsTheTree() throws IOException {
        for (String usage : USAGES) {
            String renamed = usage.replace("input_tokens_details", "prompt_tokens_details")
                    .replace("input_tokens", "prompt_tokens").replace("output_tokens", "completion_tokens");
            assertEquals(ChatUsage.of(Json.tryParse(renamed).orElseThrow()),
                    chunk("{\"usage\":" + renamed + "}").usage(), renamed);
        }
    }

    @Test
    void responsesUsageAndErrorCodeReadAsTheTree() throws IOException {
        for (String usage : USAGES) {
            String response = "{\"error\":{\"code\":\"c\",\"message\":\"m\"},\"output\":[{\"usage\":{}}],\"usage\":"
                    + usage + ",\"model\":\"gpt-x\"}";
            ResponseFields read = response("{\"type\":\"response.completed\",\"response\":" + response + "}");
            assertEquals(ResponsesUsage.fromResponse(Json.tryParse(response).orElseThrow()).usage(), read.usage(),
                    usage);
            assertEquals("gpt-x", read.model());
            assertEquals("c", read.errorCode());
        }
        assertEquals(new ResponseFields(null, null, null),
                response("{\"response\":{\"model\":\"a\",\"usage\":{}},\"response\":null}"));
        assertEquals(new ResponseFields("b", null, null),
                response("{\"response\":{\"model\":\"a\",\"error\":{\"code\":\"x\"},\"error\":\"y\",\"model\":\"b\"}}"));
        assertEquals(new ResponseFields(null, null, null), response(" "));
        assertNull(response("{\"response\":{}} {}"));
        assertThrows(IOException.class, () -> response("{\"response\":{}} x"));
        assertThrows(IOException.class, () -> response("{\"response\":{\"usage\":{\"input_tokens\":"
                + "1".repeat(1001) + "}}}"));
    }

    private static final List<String> USAGES = List.of("{}", "{\"input_tokens\":100,\"output_tokens\":7,"
            + "\"input_tokens_details\":{\"cached_tokens\":40,\"cached_tokens\":60}}",
            "{\"input_tokens\":-5,\"output_tokens\":1.0,\"input_tokens_details\":[{\"cached_tokens\":4}]}",
            "{\"input_tokens\":99999999999999999999,\"output_tokens\":\"7\",\"input_tokens_details\":null}",
            "{\"input_tokens_details\":{\"cached_tokens\":9},\"input_tokens\":3,\"input_tokens\":4}");

    private static ChatChunk chunk(String json) throws IOException {
        try (JsonTokens r = JsonTokens.of(json)) {
            return ChatChunk.read(r);
        }
    }

    private static ResponseFields response(String json) throws IOException {
        try (JsonTokens r = JsonTokens.of(json)) {
            return ResponseFields.read(r);
        }
    }
}
