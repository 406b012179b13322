package dev.relaycluster.protocol.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Endpoint names, and the model and operation names the relay is willing to put into an upstream URL. */
class GeminiEndpointTest {

  @Test
  void theThreeFormsParse() {
    GeminiEndpoint pub = GeminiEndpoint.parse("models/gemini-2.5-flash-lite-preview-06-17:streamGenerateContent")
        .orElseThrow();
    assertEquals("gemini-2.5-flash-lite-preview-06-17", pub.model());
    assertTrue(pub.streams());
    assertTrue(GeminiEndpoint.parse("v1internal:loadCodeAssist").orElseThrow().sideCall());
    GeminiEndpoint op = GeminiEndpoint.parse("v1internal/operations/onboard-1a2b/x").orElseThrow();
    assertEquals("operations/onboard-1a2b/x", op.operation());
    assertEquals("v1internal/operations/onboard-1a2b/x", op.name());
  }

  @Test
  void modelsThatAreNoPlainNameAreNoEndpoint() {
    for (String model : new String[] {"", " ", "a b", "\u0000", "gemini-2.5-pro/../x", "x/y", "\u00fc", "a?b", "{m}",
        "-leading-dash", "g".repeat(129)}) {
      assertEquals(Optional.empty(), GeminiEndpoint.parse(GeminiEndpoint.ofModel(model, "generateContent")), model);
      assertFalse(GeminiEndpoint.plainModel(model), model);
    }
    assertTrue(GeminiEndpoint.plainModel("g".repeat(128)));
    assertTrue(GeminiEndpoint.plainModel("gemini-2.5-pro@001"));
  }

  @Test
  void operationsThatAreNoPlainNameAreNoEndpoint() {
    for (String id : new String[] {"", "a b", "\u0000x", "/x", "x?y", "o".repeat(129)}) {
      assertEquals(Optional.empty(), GeminiEndpoint.parse("v1internal/operations/" + id), id);
    }
    assertTrue(GeminiEndpoint.parse("v1internal/operations/" + "o".repeat(128)).isPresent());
  }
}
