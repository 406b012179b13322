package dev.relaycluster.protocol.openai;

import dev.relaycluster.protocol.testing.TapStreams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tap's streaming reads report what its tree reads did ({@link TreeChatTap}) on recorded streams whose chunks
 * were varied (fields reordered, repeated, of the wrong kind, nested, cut, trailing, invalid UTF-8 and more).
 */
class ChatUsageTapAgainstTreeTest {

    private static final List<String> FIXTURES = List.of("convert/chat/openai-text-two-tools.sse",
            "convert/chat/openai-error-midstream.sse", "convert/chat/compat-reasoning-crlf.sse",
            "convert/chat/azure-filter-results.sse", "convert/chat/encode-text-two-tools-usage.sse",
            "convert/chat/compat-content-filter-no-done.sse", "convert/chat/openai-cut.sse");

    @Test
    void variedStreamsReportWhatTheTreesDid() {
        for (TapStreams.Variant v : TapStreams.variants(FIXTURES, 23, 4000)) {
            TapStreams.assertSame(v, TreeChatTap::new, ChatUsageTap::new, t -> List.of(), t -> List.of());
        }
    }
}
