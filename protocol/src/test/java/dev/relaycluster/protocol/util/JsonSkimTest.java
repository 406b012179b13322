package dev.relaycluster.protocol.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.anthropic.MessagesRequest;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.protocol.openai.ResponsesRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The skim must agree with the full parse wherever it answers, and give way to it (null) wherever the full
 * parse would refuse the body, so a client sees the same fields and the same errors either way.
 */
class JsonSkimTest {

  private static final List<String> BODIES = List.of(
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"{\\\"model\\\":\\\"x\\\"}\"}]}],\"model\":\"m\"}",
      "{\"model\":\"m\",\"stream\":false,\"max_tokens\":99999999999}",
      "{\"model\":\"m\",\"max_tokens\":123456789012345678901234567890}",
      "{\"model\":\"m\",\"max_tokens\":1.5}",
      "{\"model\":\"m\",\"max_tokens\":\"12\"}",
      "{\"model\":\"m\",\"max_tokens\":{\"a\":[1,2,{\"b\":null}]}}",
      "{\"model\":\"m\",\"max_output_tokens\":64,\"stream\":null}",
      "{\"model\":\"first\",\"model\":\"last\"}",
      "{\"model\":1,\"model\":\"last\"}",
      "{\"model\":\"first\",\"model\":2}",
      "{\"model\":\"\"}",
      "{\"model\":null}",
      "{\"stream\":true}",
      "{\"model\":\"m\",\"stream\":\"yes\"}",
      "{\"model\":\"m\",\"stream\":1}",
      "{\"model\":\"m\"} {\"x\":1}",
      "{\"model\":\"m\"} x",
      "{\"model\":\"m\",}",
      "{\"model\":\"m\"",
      "[{\"model\":\"m\"}]",
      "\"model\"",
      "null",
      "   ",
      "",
      "{\"model\":\"m\",\"metadata\":{\"user_id\":\"u\"},\"system\":[{\"type\":\"text\",\"text\":\"ünïcødé ✓\"}]}",
      "{\"model\":\"claude-\\u00e9\",\"stream\":true}",
      "{\"model\":\"m\",\"tools\":[" + "[".repeat(200) + "]".repeat(200) + "]}");

  @Test
  void anthropicFieldsAgreeWithTheFullParseOrGiveWay() {
    agreeOrGiveWay("max_tokens", false, bytes -> {
      MessagesRequest r = MessagesRequest.parse(bytes);
      return new JsonSkim.Fields(r.model(), r.stream(), r.maxTokens());
    });
  }

  @Test
  void responsesFieldsAgreeWithTheFullParseOrGiveWay() {
    agreeOrGiveWay("max_output_tokens", true, bytes -> {
      ResponsesRequest r = ResponsesRequest.parse(bytes);
      return new JsonSkim.Fields(r.model(), r.stream(), r.maxOutputTokens());
    });
  }

  /** Every body: where the full parse refuses it the skim gives way; where both answer they agree. */
  private static void agreeOrGiveWay(String maxTokensField, boolean nullStreamIsFalse,
      Function<byte[], JsonSkim.Fields> fullParse) {
    for (String body : BODIES) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      JsonSkim.Fields skim = JsonSkim.read(bytes, maxTokensField, nullStreamIsFalse);
      JsonSkim.Fields full;
      try {
        full = fullParse.apply(bytes);
      } catch (InvalidRequestException e) {
        assertNull(skim, "the full parse refuses " + body + ", so the skim must give way");
        continue;
      }
      if (skim != null) {
        assertEquals(full, skim, body);
      }
    }
  }

  @Test
  void theUsualRequestsAreSkimmed() {
    JsonSkim.Fields claude = JsonSkim.read(BODIES.get(0).getBytes(StandardCharsets.UTF_8), "max_tokens", false);
    assertNotNull(claude);
    assertEquals(new JsonSkim.Fields("claude-sonnet-4-5", true, 1024), claude);
    assertEquals(new JsonSkim.Fields("last", false, -1),
        JsonSkim.read(BODIES.get(8).getBytes(StandardCharsets.UTF_8), "max_tokens", false), "the last of two models counts");
    assertNull(JsonSkim.read(BODIES.get(9).getBytes(StandardCharsets.UTF_8), "max_tokens", false),
        "a model of the wrong kind gives way to the full parse, even if a later one is a string");
    assertEquals(new JsonSkim.Fields("m", false, 64),
        JsonSkim.read(BODIES.get(7).getBytes(StandardCharsets.UTF_8), "max_output_tokens", true));
    assertNull(JsonSkim.read(BODIES.get(7).getBytes(StandardCharsets.UTF_8), "max_tokens", false),
        "Anthropic refuses \"stream\": null; the full parse says so");
  }

  @Test
  void aDialectReadsTheSameViewWithAndWithoutTheSessionHeader() {
    byte[] claude = BODIES.get(0).getBytes(StandardCharsets.UTF_8);
    Function<String, String> withHeader = Map.of("x-claude-code-session-id", "s-1")::get;
    RequestView skimmed = AnthropicDialect.INSTANCE.read("messages", claude, withHeader, "key");
    RequestView parsed = AnthropicDialect.INSTANCE.read("messages", claude, name -> null, "key");
    assertEquals(parsed.model(), skimmed.model());
    assertEquals(parsed.stream(), skimmed.stream());
    assertEquals(parsed.maxTokens(), skimmed.maxTokens());
    assertEquals("s-1", skimmed.sessionKey().orElseThrow().value());

    byte[] codex = "{\"model\":\"gpt-5-codex\",\"stream\":true,\"input\":[]}".getBytes(StandardCharsets.UTF_8);
    RequestView compact = ResponsesDialect.INSTANCE.read("compact", codex, Map.of("session-id", "c-1")::get, "key");
    assertEquals(false, compact.stream(), "a compact request is never streamed");
    assertEquals("c-1", compact.sessionKey().orElseThrow().value());

    // A bad body with the header still gets the full parse's error.
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> AnthropicDialect.INSTANCE.read(
        "messages", "{\"model\":\"m\",\"stream\":\"yes\"}".getBytes(StandardCharsets.UTF_8), withHeader, "key"));
    assertEquals("stream: Input should be a valid boolean", e.getMessage());
  }
}
