package dev.relaycluster.protocol.convert.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.anthropic.AnthropicCodec;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the real Gemini CLI (0.61) sends, written for a Claude account: its model router's
 * {@code generateContent} carries {@code responseJsonSchema} with Gemini's type names in capitals
 * ({@code "OBJECT"}, {@code "STRING"}, {@code "INTEGER"}), which Claude's {@code output_config.format}
 * schema must have in lower case, and Claude takes an object only with {@code additionalProperties: false}.
 */
class GeminiCliOnClaudeTest {

  private static JsonNode json(String text) {
    return Json.tryParse(text).orElseThrow();
  }

  private static JsonNode claudeBody(String endpoint, String geminiBody) throws Exception {
    Conversation c = GeminiCodec.INSTANCE.readRequest(endpoint, geminiBody.getBytes(StandardCharsets.UTF_8));
    return Json.parse(AnthropicCodec.INSTANCE.writeRequest(c, ReplayBook.NONE).body());
  }

  @Test
  void theRouterCallAsksClaudeForItsSchemaInLowerCase() throws Exception {
    JsonNode body = claudeBody("models/gemini-3.5-flash-lite:generateContent", """
        {"contents":[{"parts":[{"text":"say hi"}],"role":"user"}],
         "systemInstruction":{"parts":[{"text":"You are a Task Routing AI."}],"role":"user"},
         "generationConfig":{"temperature":1,"topP":0.95,"topK":64,"responseMimeType":"application/json",
           "responseJsonSchema":{"type":"OBJECT","properties":{
             "complexity_reasoning":{"type":"STRING","description":"Brief explanation for the score."},
             "complexity_score":{"type":"INTEGER","description":"Complexity score from 1-100."}},
             "required":["complexity_reasoning","complexity_score"]},
           "thinkingConfig":{"includeThoughts":true,"thinkingLevel":"HIGH"}}}
        """);
    assertEquals(json("""
        {"model":"gemini-3.5-flash-lite","max_tokens":32000,
         "system":[{"type":"text","text":"You are a Task Routing AI."}],
         "messages":[{"role":"user","content":[{"type":"text","text":"say hi"}]}],
         "thinking":{"type":"enabled","budget_tokens":16384},
         "output_config":{"format":{"type":"json_schema","schema":{"type":"object","properties":{
           "complexity_reasoning":{"type":"string","description":"Brief explanation for the score."},
           "complexity_score":{"type":"integer","description":"Complexity score from 1-100."}},
           "required":["complexity_reasoning","complexity_score"],"additionalProperties":false}}},
         "top_p":0.95}
        """), body);
  }

  @Test
  void onlyTypeNamesAreLoweredNotPropertiesOrValuesNamedType() throws Exception {
    JsonNode body = claudeBody("models/gemini-2.5-pro:streamGenerateContent", """
        {"contents":[{"parts":[{"text":"go"}],"role":"user"}],
         "tools":[{"functionDeclarations":[{"name":"pick","parametersJsonSchema":{"type":"OBJECT","properties":{
           "type":{"type":"STRING","enum":["OBJECT","Fancy"],"default":"STRING"},
           "tags":{"type":["ARRAY","NULL"],"items":{"type":"string"}},
           "kind":{"type":"Custom"}},
           "$defs":{"node":{"type":"OBJECT","properties":{"const":{"type":"BOOLEAN","const":"TRUE"}}}}}}]}]}
        """);
    assertEquals(json("""
        [{"name":"pick","input_schema":{"type":"object","properties":{
           "type":{"type":"string","enum":["OBJECT","Fancy"],"default":"STRING"},
           "tags":{"type":["array","null"],"items":{"type":"string"}},
           "kind":{"type":"Custom"}},
           "$defs":{"node":{"type":"object","properties":{"const":{"type":"boolean","const":"TRUE"}}}}}}]
        """), body.get("tools"));
  }
}
