package dev.relaycluster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON form of a model map, as the admin API, a key and RELAY_MODEL_MAP take it, and its checks. */
class ModelMapJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<ModelRule> parse(String json) throws Exception {
    return ModelMapJson.parse(JSON.readTree(json), "rules");
  }

  private static String error(String json) {
    return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
  }

  @Test
  void readsAndWritesTheSameShape() throws Exception {
    String json = "[{\"match\":\"claude-*\",\"pool\":\"openai\",\"model\":\"gpt-5.1-codex\"},"
        + "{\"match\":\"gemini-*\",\"pool\":\"gemini\",\"model\":null}]";
    List<ModelRule> rules = parse(json);
    assertEquals(List.of(new ModelRule("claude-*", "openai", "gpt-5.1-codex"), new ModelRule("gemini-*", "gemini", null)),
        rules);
    assertEquals(json, ModelMapJson.toJson(rules).toString());
    assertEquals(List.of(new ModelRule("x", "claude", null)), parse("[{\"match\":\"x\",\"pool\":\"claude\"}]"));
    assertEquals(List.of(), parse("[]"));
    assertEquals(List.of(), ModelMapJson.parse(null, "rules"));
    assertEquals(List.of(), parse("null"));
  }

  @Test
  void errorsNameTheField() {
    assertEquals("rules: a list of {match, pool, model} rules", error("{}"));
    assertEquals("rules[0]: an object {match, pool, model}", error("[\"claude-*\"]"));
    assertEquals("rules[1].pool: one of claude, droid, gemini, openai",
        error("[{\"match\":\"a\",\"pool\":\"claude\"},{\"match\":\"b\",\"pool\":\"bedrock\"}]"));
    assertEquals("rules[0].pool: one of claude, droid, gemini, openai", error("[{\"match\":\"a\"}]"));
    assertEquals("rules[0].match: a model name or a pattern with *, such as claude-*",
        error("[{\"match\":\"  \",\"pool\":\"claude\"}]"));
    assertEquals("rules[0].match: a model name or a pattern with *, such as claude-*", error("[{\"pool\":\"claude\"}]"));
    assertEquals("rules[0].match: at most 200 printable characters without spaces",
        error("[{\"match\":\"two words\",\"pool\":\"claude\"}]"));
    assertEquals("rules[0].match: at most 200 printable characters without spaces",
        error("[{\"match\":\"" + "a".repeat(201) + "\",\"pool\":\"claude\"}]"));
    assertEquals("rules[0].match: text", error("[{\"match\":7,\"pool\":\"claude\"}]"));
    assertEquals("rules[0].model: a model name of at most 200 printable characters without spaces or *, or null for "
        + "the name as asked", error("[{\"match\":\"a\",\"pool\":\"claude\",\"model\":\"gpt-*\"}]"));
    assertEquals("rules[0].colour: unknown field (match, pool, model)",
        error("[{\"match\":\"a\",\"pool\":\"claude\",\"colour\":\"red\"}]"));
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 501; i++) {
      many.append(i == 0 ? "" : ",").append("{\"match\":\"m").append(i).append("\",\"pool\":\"claude\"}");
    }
    assertEquals("rules: at most 500 rules (501 given)", error(many.append("]").toString()));
  }
}
