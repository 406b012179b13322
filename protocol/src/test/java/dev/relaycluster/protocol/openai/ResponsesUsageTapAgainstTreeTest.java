package dev.relaycluster.protocol.openai;

import dev.relaycluster.protocol.testing.TapStreams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tap's streaming reads report what its tree reads did ({@link TreeResponsesTap}) on recorded streams whose
 * events were varied (fields reordered, repeated, of the wrong kind, nested, cut, trailing, invalid UTF-8 and
 * more).
 */
class ResponsesUsageTapAgainstTreeTest {

    private static final List<String> FIXTURES = List.of("fixtures/openai-responses-stream.sse",
            "convert/responses/failed.sse", "convert/responses/incomplete.sse", "convert/responses/error-event.sse",
            "convert/responses/tools.sse", "convert/responses/reasoning-text.sse", "convert/responses/cut.sse");

    @Test
    void variedStreamsReportWhatTheTreesDid() {
        for (TapStreams.Variant v : TapStreams.variants(FIXTURES, 29, 4000)) {
            TapStreams.assertSame(v, TreeResponsesTap::new, ResponsesUsageTap::new, t -> List.of(), t -> List.of());
        }
    }
}
