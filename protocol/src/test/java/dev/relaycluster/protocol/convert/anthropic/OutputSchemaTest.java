package dev.relaycluster.protocol.convert.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputSchemaTest {
  private static JsonNode json(String text) {
    return Json.tryParse(text).orElseThrow();
  }

  @Test
  void everyObjectIsClosedAndUnsupportedBoundsMoveIntoTheDescription() {
    List<String> notes = new ArrayList<>();
    JsonNode in = json("""
        {"type":"object","properties":{
          "score":{"type":"integer","minimum":1,"maximum":100,"description":"How hard."},
          "tags":{"type":"array","minItems":2,"items":{"type":"object","properties":{"x":{"type":"string","maxLength":5}}}},
          "meta":{"type":["object","null"],"additionalProperties":true},
          "pick":{"anyOf":[{"properties":{"a":{"type":"string"}}},{"type":"string"}]},
          "one":{"type":"array","minItems":1,"items":{"$ref":"#/$defs/n"}}},
         "$defs":{"n":{"type":"object","additionalProperties":false}}}
        """);
    JsonNode out = OutputSchema.forClaude(in, notes);
    assertEquals(json("""
        {"type":"object","properties":{
          "score":{"type":"integer","description":"How hard.\\n\\n{minimum: 1, maximum: 100}"},
          "tags":{"type":"array","items":{"type":"object","properties":{"x":{"type":"string","description":"{maxLength: 5}"}},
            "additionalProperties":false},"description":"{minItems: 2}"},
          "meta":{"type":["object","null"],"additionalProperties":false},
          "pick":{"anyOf":[{"properties":{"a":{"type":"string"}},"additionalProperties":false},{"type":"string"}]},
          "one":{"type":"array","minItems":1,"items":{"$ref":"#/$defs/n"}}},
         "$defs":{"n":{"type":"object","additionalProperties":false}},"additionalProperties":false}
        """), out);
    assertEquals(List.of(
        "output schema: additionalProperties set to false on its objects (Claude takes no other value)",
        "output schema: bounds and lengths Claude does not take moved into the descriptions"), notes);
    assertEquals(json("{\"type\":\"object\",\"properties\":{\"score\":{\"type\":\"integer\",\"minimum\":1,"
        + "\"maximum\":100,\"description\":\"How hard.\"},\"tags\":{\"type\":\"array\",\"minItems\":2,\"items\":"
        + "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\",\"maxLength\":5}}}},\"meta\":{\"type\":"
        + "[\"object\",\"null\"],\"additionalProperties\":true},\"pick\":{\"anyOf\":[{\"properties\":{\"a\":{\"type\":"
        + "\"string\"}}},{\"type\":\"string\"}]},\"one\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"$ref\":"
        + "\"#/$defs/n\"}}},\"$defs\":{\"n\":{\"type\":\"object\",\"additionalProperties\":false}}}"), in,
        "the client's schema is left as it was");
  }

  @Test
  void aSchemaClaudeTakesAsItIsStaysTheSameWithoutNotes() {
    List<String> notes = new ArrayList<>();
    JsonNode in = json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"enum\":[\"x\"]}},"
        + "\"required\":[\"a\"],\"additionalProperties\":false}");
    assertEquals(in, OutputSchema.forClaude(in, notes));
    assertEquals(List.of(), notes);
  }
}
