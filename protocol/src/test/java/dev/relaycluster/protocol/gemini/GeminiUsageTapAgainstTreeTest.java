package dev.relaycluster.protocol.gemini;

import dev.relaycluster.protocol.testing.TapStreams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tap's reads of the data bytes report what its reads of the decoded text did ({@link TreeGeminiTap}) on
 * recorded streams whose chunks were varied (fields reordered, repeated, of the wrong kind, nested, cut, trailing,
 * invalid UTF-8, a byte order mark, zero bytes and more).
 */
class GeminiUsageTapAgainstTreeTest {

    private static final List<String> FIXTURES = List.of("fixtures/gemini-stream.sse",
            "fixtures/gemini-code-assist-stream.sse", "convert/gemini/error.sse", "convert/gemini/error-first.sse",
            "convert/gemini/thoughts-text.sse", "convert/gemini/late-usage.sse", "convert/gemini/cut.sse");

    @Test
    void variedStreamsReportWhatTheTextReadsDid() {
        for (TapStreams.Variant v : TapStreams.variants(FIXTURES, 31, 4000)) {
            TapStreams.assertSame(v, TreeGeminiTap::new, GeminiUsageTap::new, t -> List.of(), t -> List.of());
        }
    }
}
