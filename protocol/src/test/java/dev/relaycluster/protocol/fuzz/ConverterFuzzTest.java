package dev.relaycluster.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.DialectCodec;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.convert.anthropic.AnthropicCodec;
import dev.relaycluster.protocol.convert.chat.ChatCodec;
import dev.relaycluster.protocol.convert.gemini.GeminiCodec;
import dev.relaycluster.protocol.convert.responses.ResponsesCodec;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the converters' request translation, as a relay does it for a pool whose accounts
 * speak another dialect: a body the client's dialect reads ({@code Dialect.read}) is read into a conversation by
 * the client's codec and written as a request of every other dialect. The first input byte picks the client's
 * reader (as in {@link DialectReadFuzzTest}, generating endpoints only). A refusal is a
 * {@code ConversionException} (or the {@code IllegalArgumentException} the relay also answers as a bad request)
 * with a clean message; a written request is one JSON object; anything else thrown is a finding.
 */
class ConverterFuzzTest {
  private static final List<DialectCodec> CODECS = List.of(AnthropicCodec.INSTANCE, ResponsesCodec.INSTANCE,
      ChatCodec.INSTANCE, GeminiCodec.INSTANCE);
  /** The readers of {@link DialectReadFuzzTest} whose endpoint is fixed and converts. */
  private static final List<DialectReadFuzzTest.Reader> READERS = DialectReadFuzzTest.READERS.stream()
      .filter(r -> r.endpoint() != null && !r.endpoint().equals("compact") && !r.endpoint().endsWith("loadCodeAssist"))
      .toList();

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
  void translatesOrRefusesCleanly(byte[] input) {
    DialectReadFuzzTest.Reader reader = READERS.get(Internals.selector(input) % READERS.size());
    byte[] body = Internals.rest(input);
    Map<String, String> headers = reader.headers();
    RequestView view = Internals.orRefused(input,
        () -> reader.dialect().read(reader.endpoint(), body, headers::get, "key-1"));
    if (view == null) {
      return;
    }
    DialectCodec from = CODECS.stream().filter(c -> c.dialect() == reader.dialect().id()).findFirst().orElseThrow();
    Conversation conversation = refusedOrNull(input, () -> from.readRequest(reader.endpoint(), body));
    if (conversation == null) {
      return;
    }
    Conversation aimed = conversation.withModel("target-model");
    from.wantsStreamUsage(body);
    for (DialectCodec to : CODECS) {
      if (to == from) {
        continue;
      }
      WrittenRequest written = refusedOrNull(input, () -> to.writeRequest(aimed, ReplayBook.NONE));
      if (written != null) {
        JsonNode json = Json.tryParse(written.body()).orElse(null);
        if (json == null || !json.isObject()) {
          throw new AssertionError(from.dialect() + "→" + to.dialect() + " wrote no JSON object: "
              + new String(written.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
  }

  /** As the relay's target planner: a conversion refusal or an IllegalArgumentException is a bad request. */
  private static <T> T refusedOrNull(byte[] input, java.util.function.Supplier<T> call) {
    try {
      return Internals.orRefused(input, call);
    } catch (IllegalArgumentException e) {
      Internals.assertClean("the refusal's message", e.getMessage(), input);
      return null;
    }
  }
}
