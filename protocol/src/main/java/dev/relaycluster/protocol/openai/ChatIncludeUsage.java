package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.StreamReframer;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ledger needs a streamed Chat answer's usage, which OpenAI sends only when the request says
 * {@code stream_options.include_usage: true}. For a client that did not ask, the relay asks on its behalf
 * ({@link #ask}) and hides the extra {@code choices:[]} usage chunk from it again ({@link #framing}); the
 * usage tap reads upstream's bytes before that.
 */
public final class ChatIncludeUsage {

    private static final byte[] INSERT = "\"stream_options\":{\"include_usage\":true}".getBytes(StandardCharsets.UTF_8);

    private ChatIncludeUsage() {
    }

    /** Whether the relay must ask for usage on the client's behalf: a streamed request that did not ask. */
    public static boolean mustAsk(byte[] body) {
        JsonNode root = Json.tryParse(body).orElse(null);
        return root != null && root.isObject() && root.path("stream").asBoolean(false) && !ChatRequest.asksUsage(root);
    }

    /**
     * {@code body} with {@code stream_options.include_usage: true}. A body without {@code stream_options} keeps
     * its bytes, with the field put first; otherwise the object is rewritten with the flag set. A body that is
     * not a JSON object is returned as it is.
     */
    public static byte[] ask(byte[] body) {
        JsonNode root = Json.tryParse(body).orElse(null);
        if (root == null || !root.isObject()) {
            return body;
        }
        if (!root.has("stream_options")) {
            int open = 0;
            while (open < body.length && body[open] != '{') {
                open++;
            }
            int next = open + 1;
            while (next < body.length && Character.isWhitespace(body[next])) {
                next++;
            }
            boolean empty = next < body.length && body[next] == '}';
            byte[] out = new byte[body.length + INSERT.length + (empty ? 0 : 1)];
            System.arraycopy(body, 0, out, 0, open + 1);
            System.arraycopy(INSERT, 0, out, open + 1, INSERT.length);
            int at = open + 1 + INSERT.length;
            if (!empty) {
                out[at++] = ',';
            }
            System.arraycopy(body, open + 1, out, at, body.length - open - 1);
            return out;
        }
        ObjectNode copy = ((ObjectNode) root).deepCopy();
        JsonNode options = copy.get("stream_options");
        ObjectNode fixed = options != null && options.isObject() ? (ObjectNode) options : copy.putObject("stream_options");
        fixed.put("include_usage", true);
        copy.set("stream_options", fixed);
        return Json.write(copy);
    }

    /** The framing that drops the usage-only chunk ({@code choices:[]} with a {@code usage} object) of a stream. */
    public static AnswerFraming framing() {
        return FRAMING;
    }

    private static final AnswerFraming FRAMING = new AnswerFraming() {
        @Override
        public boolean identity() {
            return false;
        }

        @Override
        public byte[] whole(byte[] body) {
            return body;
        }

        @Override
        public StreamReframer newStream() {
            return new UsageChunkFilter();
        }

        @Override
        public String streamContentType() {
            return null;
        }
    };

    /** Whether one whole SSE event (its bytes) is the usage-only chunk. */
    static boolean isUsageChunk(byte[] event, int from, int to) {
        String text = new String(event, from, to - from, StandardCharsets.UTF_8);
        int at = text.indexOf("\"usage\"");
        if (at < 0 || text.startsWith("\"usage\":null", at)) {
            return false;
        }
        StringBuilder data = new StringBuilder();
        for (String line : text.split("\r\n|\r|\n")) {
            if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
            }
        }
        JsonNode root = Json.tryParse(data.toString()).orElse(null);
        return root != null && root.isObject() && root.path("usage").isObject()
                && root.path("choices").isArray() && root.path("choices").isEmpty();
    }

    static byte[] concat(byte[] a, byte[] b, int off, int len) {
        byte[] out = Arrays.copyOf(a, a.length + len);
        System.arraycopy(b, off, out, a.length, len);
        return out;
    }
}
