package dev.relaycluster.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.gemini.GeminiEndpoint;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of every client dialect's request reader ({@link Dialect#read}): Anthropic Messages
 * and count_tokens, OpenAI Responses and compact, Chat Completions, Gemini's public calls and the Code Assist
 * envelope, each with and without the session header that takes the skim path. The first input byte picks the
 * reader; for the Gemini path variant the first line is the endpoint (the model and method come from the
 * request's path). A body is read or refused with {@code InvalidRequestException} whose message names no
 * internal; anything else thrown is a finding.
 */
class DialectReadFuzzTest {
  /** One reader: a dialect, an endpoint (null: the input's first line) and the request's headers. */
  record Reader(Dialect dialect, String endpoint, Map<String, String> headers, List<String> seeds) {}

  static final List<Reader> READERS = List.of(
      new Reader(AnthropicDialect.INSTANCE, AnthropicDialect.MESSAGES, Map.of(), RequestSeeds.ANTHROPIC),
      new Reader(AnthropicDialect.INSTANCE, AnthropicDialect.MESSAGES,
          Map.of("x-claude-code-session-id", "0b1c2d3e-4f50"), RequestSeeds.ANTHROPIC),
      new Reader(AnthropicDialect.INSTANCE, AnthropicDialect.COUNT_TOKENS, Map.of(), RequestSeeds.ANTHROPIC),
      new Reader(ResponsesDialect.INSTANCE, ResponsesDialect.RESPONSES, Map.of(), RequestSeeds.RESPONSES),
      new Reader(ResponsesDialect.INSTANCE, ResponsesDialect.RESPONSES, Map.of("session_id", "0b1c2d3e"),
          RequestSeeds.RESPONSES),
      new Reader(ResponsesDialect.INSTANCE, ResponsesDialect.COMPACT, Map.of(), RequestSeeds.RESPONSES),
      new Reader(ChatDialect.INSTANCE, ChatDialect.COMPLETIONS, Map.of(), RequestSeeds.CHAT),
      new Reader(GeminiDialect.INSTANCE, GeminiEndpoint.ofModel("gemini-2.5-pro", GeminiEndpoint.GENERATE), Map.of(),
          RequestSeeds.GEMINI),
      new Reader(GeminiDialect.INSTANCE, GeminiEndpoint.ofModel("gemini-2.5-flash", GeminiEndpoint.STREAM), Map.of(),
          RequestSeeds.GEMINI),
      new Reader(GeminiDialect.INSTANCE, GeminiEndpoint.ofModel("gemini-2.5-flash", GeminiEndpoint.COUNT_TOKENS),
          Map.of(), RequestSeeds.GEMINI),
      new Reader(GeminiDialect.INSTANCE, GeminiEndpoint.ofCodeAssist(GeminiEndpoint.GENERATE), Map.of(),
          RequestSeeds.CODE_ASSIST),
      new Reader(GeminiDialect.INSTANCE, GeminiEndpoint.ofCodeAssist(GeminiEndpoint.STREAM), Map.of(),
          RequestSeeds.CODE_ASSIST),
      new Reader(GeminiDialect.INSTANCE, GeminiEndpoint.ofCodeAssist(GeminiEndpoint.COUNT_TOKENS), Map.of(),
          RequestSeeds.CODE_ASSIST),
      new Reader(GeminiDialect.INSTANCE, GeminiEndpoint.ofCodeAssist(GeminiEndpoint.LOAD_CODE_ASSIST), Map.of(),
          RequestSeeds.CODE_ASSIST),
      new Reader(GeminiDialect.INSTANCE, null, Map.of(), List.of(
          GeminiEndpoint.ofModel("gemini-2.5-pro", GeminiEndpoint.GENERATE) + "\n" + RequestSeeds.GEMINI.get(0),
          GeminiEndpoint.ofCodeAssist(GeminiEndpoint.STREAM) + "\n" + RequestSeeds.CODE_ASSIST.get(0),
          GeminiEndpoint.ofOperation("onboard-1") + "\n{}")));

  static Stream<byte[]> seeds() {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < READERS.size(); i++) {
      for (String s : READERS.get(i).seeds()) {
        all.add(Internals.seed(i, s));
      }
    }
    return all.stream();
  }

  @MethodSource("seeds")
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void readsOrRefusesCleanly(byte[] input) {
    Reader reader = READERS.get(Internals.selector(input) % READERS.size());
    byte[] body = Internals.rest(input);
    String endpoint = reader.endpoint();
    if (endpoint == null) {
      int nl = indexOf(body, (byte) '\n');
      endpoint = new String(body, 0, nl < 0 ? body.length : nl, StandardCharsets.UTF_8);
      body = nl < 0 ? new byte[0] : Arrays.copyOfRange(body, nl + 1, body.length);
    }
    String e = endpoint;
    byte[] b = body;
    RequestView view = Internals.orRefused(input,
        () -> reader.dialect().read(e, b, name -> reader.headers().get(name), "key-1"));
    if (view != null) {
      if (view.sessionKey() == null) {
        throw new AssertionError("no session key option");
      }
      reader.dialect().recordedEndpoint(e);
    }
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
