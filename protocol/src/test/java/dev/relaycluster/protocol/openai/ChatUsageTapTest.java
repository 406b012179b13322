package dev.relaycluster.protocol.openai;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.usage.TokenUsage;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChatUsageTapTest {

    static final String HEAD = "{\"id\":\"chatcmpl-CZ1q\",\"object\":\"chat.completion.chunk\",\"created\":1764690000,"
            + "\"model\":\"gpt-4.1-2025-04-14\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_b3f1157249\",";
    /** As api.openai.com streams with stream_options.include_usage: "usage":null on every chunk, then the usage chunk. */
    static final String STREAM = "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
            + "\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,"
            + "\"obfuscation\":\"x1\"}\n\n"
            + "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello — \\\"usage\\\": \\\"error\\\"\"},"
            + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
            + "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"世界 🌍\"},\"logprobs\":null,"
            + "\"finish_reason\":null}],\"usage\":null}\n\n"
            + "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":null}\n\n"
            + "data: " + HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":1300,\"completion_tokens\":57,"
            + "\"total_tokens\":1357,\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
            + "\"rejected_prediction_tokens\":0}}}\n\n"
            + "data: [DONE]\n\n";
    static final TokenUsage USAGE = new TokenUsage(276, 57, 1024, 0, 0);

    @Test
    void realLookingStreamGivesModelUsageAndEndAtEverySplit() {
        byte[] bytes = utf8(STREAM);
        for (int i = 0; i <= bytes.length; i++) {
            ChatUsageTap tap = new ChatUsageTap();
            tap.feed(bytes, 0, i);
            if (i < bytes.length - 8) {
                assertFalse(tap.sawEnd(), "split at " + i);
            }
            tap.feed(ByteBuffer.wrap(bytes, i, bytes.length - i));
            assertEquals("gpt-4.1-2025-04-14", tap.model(), "split at " + i);
            assertEquals(USAGE, tap.usage(), "split at " + i);
            assertTrue(tap.sawEnd(), "split at " + i);
            assertTrue(tap.atEventBoundary(), "split at " + i);
            assertNull(tap.errorType());
            assertNull(tap.errorJson());
        }
    }

    @Test
    void crLfLineEndsInThreePieces() {
        byte[] bytes = utf8(STREAM.replace("\n", "\r\n"));
        for (int i = 0; i < bytes.length; i += 5) {
            int j = Math.min(bytes.length, i + 11);
            ChatUsageTap tap = new ChatUsageTap();
            tap.feed(bytes, 0, i);
            tap.feed(bytes, i, j - i);
            tap.feed(bytes, j, bytes.length - j);
            assertEquals(USAGE, tap.usage());
            assertTrue(tap.sawEnd());
        }
    }

    @Test
    void withoutIncludeUsageThereIsNoUsageButAnEnd() {
        String stream = "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
                + "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        ChatUsageTap tap = new ChatUsageTap();
        tap.feed(ByteBuffer.wrap(utf8(stream)));
        assertEquals("gpt-4.1-2025-04-14", tap.model());
        assertEquals(TokenUsage.ZERO, tap.usage());
        assertTrue(tap.sawEnd());
    }

    @Test
    void aCutStreamKeepsWhatWasSeenAndIsNotEnded() {
        byte[] bytes = utf8(STREAM);
        ChatUsageTap tap = new ChatUsageTap();
        tap.feed(bytes, 0, STREAM.indexOf("\"choices\":[],") + 3);
        assertEquals("gpt-4.1-2025-04-14", tap.model());
        assertEquals(TokenUsage.ZERO, tap.usage());
        assertFalse(tap.sawEnd());
        assertFalse(tap.atEventBoundary());
    }

    @Test
    void anErrorObjectInTheStream() {
        String error = "{\"error\":{\"message\":\"The server had an error while processing your request.\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}";
        String stream = "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
                + "data: " + error + "\n\n";
        ChatUsageTap tap = new ChatUsageTap();
        byte[] bytes = utf8(stream);
        tap.feed(bytes, 0, 40);
        tap.feed(bytes, 40, bytes.length - 40);
        assertEquals("server_error", tap.errorType());
        assertArrayEquals(utf8(error), tap.errorJson());
        assertFalse(tap.sawEnd());

        ChatUsageTap codeOnly = new ChatUsageTap();
        codeOnly.onEventJson(utf8("{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}"));
        assertEquals("rate_limit_exceeded", codeOnly.errorType());
    }

    @Test
    void wholeEventJsonsAsFromASocket() {
        ChatUsageTap tap = new ChatUsageTap();
        for (String block : STREAM.split("\n\n")) {
            tap.onEventJson(utf8(block.substring("data: ".length())));
        }
        assertEquals(USAGE, tap.usage());
        assertTrue(tap.sawEnd());
    }
}
