package dev.relaycluster.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.anthropic.MessagesRequest;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.protocol.openai.ResponsesRequest;
import dev.relaycluster.protocol.util.JsonSkim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided differential fuzzing of {@link JsonSkim} against the full parse it stands in for: wherever
 * the skim answers, the full parse accepts the body and reads the same model, stream flag and token limit;
 * wherever the full parse refuses, the skim gives way (null). And a level up: a dialect reads the same view of
 * a body with the session header (skim path) as without it (full parse), or refuses both. The first input byte
 * picks Anthropic (even) or Responses (odd).
 */
class JsonSkimFuzzTest {

  static Stream<byte[]> seeds() {
    List<byte[]> all = new ArrayList<>();
    RequestSeeds.ANTHROPIC.forEach(s -> all.add(Internals.seed(0, s)));
    RequestSeeds.RESPONSES.forEach(s -> all.add(Internals.seed(1, s)));
    all.add(Internals.seed(0, "{\"model\":\"m\",\"max_tokens\":99999999999999999999,\"stream\":null}"));
    all.add(Internals.seed(1, "{\"model\":\"first\",\"model\":\"last\",\"max_output_tokens\":1.0e2}"));
    return all.stream();
  }

  @MethodSource("seeds")
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void skimAgreesWithTheFullParse(byte[] input) {
    boolean anthropic = Internals.selector(input) % 2 == 0;
    byte[] body = Internals.rest(input);
    JsonSkim.Fields skim = anthropic ? JsonSkim.read(body, "max_tokens", false)
        : JsonSkim.read(body, "max_output_tokens", true);
    JsonSkim.Fields full;
    try {
      if (anthropic) {
        MessagesRequest r = MessagesRequest.parse(body);
        full = new JsonSkim.Fields(r.model(), r.stream(), r.maxTokens());
      } else {
        ResponsesRequest r = ResponsesRequest.parse(body);
        full = new JsonSkim.Fields(r.model(), r.stream(), r.maxOutputTokens());
      }
    } catch (InvalidRequestException e) {
      Internals.assertClean("the refusal's message", e.getMessage(), input);
      full = null;
    }
    if (skim != null && !skim.equals(full)) {
      throw new AssertionError("the skim read " + skim + " where the full parse "
          + (full == null ? "refuses the body" : "reads " + full));
    }

    Dialect dialect = anthropic ? AnthropicDialect.INSTANCE : ResponsesDialect.INSTANCE;
    String endpoint = anthropic ? AnthropicDialect.MESSAGES : ResponsesDialect.RESPONSES;
    Map<String, String> named = anthropic ? Map.of("x-claude-code-session-id", "s-1") : Map.of("session_id", "s-1");
    RequestView withHeader = Internals.orRefused(input, () -> dialect.read(endpoint, body, named::get, "key-1"));
    RequestView without = Internals.orRefused(input, () -> dialect.read(endpoint, body, name -> null, "key-1"));
    if ((withHeader == null) != (without == null) || withHeader != null
        && !(Objects.equals(withHeader.model(), without.model()) && withHeader.stream() == without.stream()
            && withHeader.maxTokens() == without.maxTokens() && withHeader.generates() == without.generates())) {
      throw new AssertionError("with the session header the view is " + withHeader + ", without it " + without);
    }
  }
}
