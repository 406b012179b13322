package dev.relaycluster.protocol.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.anthropic.AnthropicCodec;
import dev.relaycluster.protocol.convert.chat.ChatCodec;
import dev.relaycluster.protocol.convert.gemini.GeminiCodec;
import dev.relaycluster.protocol.convert.responses.ResponsesCodec;
import dev.relaycluster.protocol.dialect.StreamReframer;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded upstream stream converted for every other dialect's client, through the intermediate model
 * ({@link AnswerConversion}), split at random places: read back by the client dialect's own decoder, the
 * client sees what upstream said: the same text, reasoning, tool calls (names and arguments), how it ended,
 * and the same token counts; a stream upstream cut ends with an error, never cleanly.
 */
class ConversionPairsTest {
  static final List<DialectCodec> CODECS = List.of(ChatCodec.INSTANCE, AnthropicCodec.INSTANCE, GeminiCodec.INSTANCE,
      ResponsesCodec.INSTANCE);

  /** Recorded upstream streams by the codec that reads them (resource paths under /convert/). */
  static final List<Object[]> RECORDED = List.of(
      new Object[] {AnthropicCodec.INSTANCE, List.of("anthropic/decoder/text.sse", "anthropic/decoder/thinking.sse",
          "anthropic/decoder/tools.sse", "anthropic/decoder/refusal.sse", "anthropic/decoder/max_tokens.sse",
          "anthropic/decoder/stop_sequence.sse", "anthropic/decoder/error.sse", "anthropic/decoder/cut.sse")},
      new Object[] {GeminiCodec.INSTANCE, List.of("gemini/text.sse", "gemini/thoughts-text.sse", "gemini/two-calls.sse",
          "gemini/max-tokens.sse", "gemini/safety.sse", "gemini/error.sse", "gemini/cut.sse", "gemini/late-usage.sse")},
      new Object[] {ResponsesCodec.INSTANCE, List.of("responses/text.sse", "responses/reasoning-text.sse",
          "responses/tools.sse", "responses/incomplete.sse", "responses/failed.sse", "responses/error-event.sse",
          "responses/cut.sse")},
      new Object[] {ChatCodec.INSTANCE, List.of("chat/openai-text-two-tools.sse", "chat/openai-error-midstream.sse",
          "chat/openai-cut.sse", "chat/compat-reasoning-crlf.sse")});

  static Stream<Arguments> pairs() {
    List<Arguments> out = new ArrayList<>();
    for (Object[] recorded : RECORDED) {
      DialectCodec upstream = (DialectCodec) recorded[0];
      @SuppressWarnings("unchecked")
      List<String> files = (List<String>) recorded[1];
      for (String file : files) {
        for (DialectCodec client : CODECS) {
          if (client != upstream) {
            out.add(Arguments.of(file, upstream, client));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} for a {2} client")
  @MethodSource("pairs")
  void theClientSeesWhatUpstreamSaid(String file, DialectCodec upstream, DialectCodec client) throws IOException {
    byte[] stream = resource(file);
    Summary said = Summary.of(decode(upstream, stream));
    Random random = new Random(file.hashCode() * 31L + client.dialect().ordinal());
    for (int run = 0; run < 20; run++) {
      byte[] converted = convert(upstream, client, stream, random);
      Summary seen = Summary.of(decode(client, converted));
      assertEquals(said.text, seen.text, "text");
      assertEquals(said.reasoning, seen.reasoning, "reasoning");
      assertEquals(said.calls, seen.calls, "tool calls");
      assertEquals(said.usage, seen.usage, "usage");
      if (said.ending.equals("cut")) {
        assertEquals("failed", seen.ending, "a cut stream must not end cleanly for the client");
      } else {
        assertEquals(said.ending, seen.ending, "ending");
      }
    }
  }

  private static byte[] convert(DialectCodec upstream, DialectCodec client, byte[] stream, Random random) {
    AnswerConversion conversion = new AnswerConversion(upstream, client,
        new AnswerOptions("client-model", true, 1_700_000_000L), null, null);
    StreamReframer reframer = conversion.newStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < stream.length) {
      int n = 1 + random.nextInt(Math.min(64, stream.length - at));
      out.writeBytes(reframer.feed(ByteBuffer.wrap(stream, at, n)));
      at += n;
    }
    out.writeBytes(reframer.end());
    return out.toByteArray();
  }

  private static List<AnswerEvent> decode(DialectCodec codec, byte[] stream) {
    List<AnswerEvent> events = new ArrayList<>();
    StreamDecoder decoder = codec.newDecoder();
    decoder.feed(ByteBuffer.wrap(stream), events::add);
    decoder.end(events::add);
    return events;
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = ConversionPairsTest.class.getResourceAsStream("/convert/" + path)) {
      assertTrue(in != null, "missing resource " + path);
      return in.readAllBytes();
    }
  }

  /** What a client would show of an answer, in terms every dialect can carry. */
  record Summary(String text, String reasoning, List<String> calls, String usage, String ending) {
    static Summary of(List<AnswerEvent> events) {
      StringBuilder text = new StringBuilder();
      StringBuilder reasoning = new StringBuilder();
      List<String> names = new ArrayList<>();
      List<StringBuilder> args = new ArrayList<>();
      // No usage at all reads as zero: a dialect that always states usage (Anthropic, Gemini) says 0.
      String usage = "prompt=0 output=0";
      String ending = "cut";
      for (AnswerEvent e : events) {
        if (e instanceof AnswerEvent.TextDelta d) {
          text.append(d.text());
        } else if (e instanceof AnswerEvent.ReasoningDelta d) {
          reasoning.append(d.text());
        } else if (e instanceof AnswerEvent.ToolCallStarted c) {
          names.add(c.name());
          args.add(new StringBuilder());
        } else if (e instanceof AnswerEvent.ToolArgumentsDelta d) {
          assertFalse(args.isEmpty(), "arguments before any call");
          args.get(args.size() - 1).append(d.json());
        } else if (e instanceof AnswerEvent.UsageUpdate u) {
          usage = "prompt=" + u.usage().promptTokens() + " output=" + u.usage().output();
        } else if (e instanceof AnswerEvent.Finished f) {
          ending = switch (f.reason()) {
            case TOOL_USE -> "tool";
            case MAX_TOKENS -> "length";
            case CONTENT_FILTER, REFUSAL -> "filter";
            default -> "stop";
          };
        } else if (e instanceof AnswerEvent.Failed) {
          ending = "failed";
        }
      }
      List<String> calls = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        String a = args.get(i).toString();
        JsonNode parsed = Json.tryParse(a.isEmpty() ? "{}" : a).orElse(null);
        calls.add(names.get(i) + (parsed == null ? a : parsed.toString()));
      }
      // A cut stream's usage may be partial; compare it only where the answer finished.
      return new Summary(text.toString(), reasoning.toString(), calls,
          Set.of("cut", "failed").contains(ending) ? "-" : usage, ending);
    }
  }
}
