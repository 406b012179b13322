package dev.relaycluster.protocol.gemini;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.Json;
import org.junit.jupiter.api.Test;

class CodeAssistLocalAnswersTest {

  static JsonNode answer(String endpoint, String body) throws Exception {
    byte[] out = CodeAssistLocalAnswers.answer(GeminiEndpoint.parse(endpoint).orElseThrow(),
        body == null ? null : utf8(body)).orElseThrow();
    return Json.parse(out);
  }

  @Test
  void loadCodeAssistGivesATierAndAProjectSoOnboardingIsSkipped() throws Exception {
    JsonNode load = answer("v1internal:loadCodeAssist", "{\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\","
        + "\"platform\":\"PLATFORM_UNSPECIFIED\",\"pluginType\":\"GEMINI\"}}");
    // setup.ts: with currentTier and cloudaicompanionProject it returns at once (no onboardUser).
    assertEquals("standard-tier", load.path("currentTier").path("id").textValue());
    assertTrue(load.path("currentTier").path("hasOnboardedPreviously").booleanValue());
    assertEquals("relay", load.path("cloudaicompanionProject").textValue());
    assertFalse(load.has("ineligibleTiers"), "an ineligible tier could ask for validation");
    assertTrue(load.path("allowedTiers").path(0).path("isDefault").booleanValue());
    JsonNode own = answer("v1internal:loadCodeAssist", "{\"cloudaicompanionProject\":\"my-proj\",\"metadata\":{}}");
    assertEquals("my-proj", own.path("cloudaicompanionProject").textValue());
  }

  @Test
  void onboardingAndOperationsAreDone() throws Exception {
    JsonNode onboard = answer("v1internal:onboardUser", "{\"tierId\":\"standard-tier\",\"cloudaicompanionProject\":"
        + "\"my-proj\",\"metadata\":{}}");
    assertTrue(onboard.path("done").booleanValue());
    assertEquals("my-proj", onboard.path("response").path("cloudaicompanionProject").path("id").textValue());
    JsonNode free = answer("v1internal:onboardUser", "{\"tierId\":\"free-tier\",\"metadata\":{}}");
    assertEquals("relay", free.path("response").path("cloudaicompanionProject").path("id").textValue());
    JsonNode operation = answer("v1internal/operations/relay-onboard", null);
    assertTrue(operation.path("done").booleanValue());
    assertEquals("operations/relay-onboard", operation.path("name").textValue());
    assertEquals("relay", operation.path("response").path("cloudaicompanionProject").path("id").textValue());
  }

  @Test
  void quotaExperimentsAdminAndSettings() throws Exception {
    JsonNode quota = answer("v1internal:retrieveUserQuota", "{\"project\":\"relay\"}");
    assertTrue(quota.path("buckets").isArray());
    assertEquals(0, quota.path("buckets").size());
    JsonNode experiments = answer("v1internal:listExperiments", "{\"project\":\"relay\",\"metadata\":{}}");
    assertEquals(0, experiments.path("experimentIds").size());
    assertEquals(0, experiments.path("flags").size());
    JsonNode admin = answer("v1internal:fetchAdminControls", "{\"project\":\"relay\"}");
    assertFalse(admin.path("adminControlsApplicable").booleanValue());
    JsonNode get = answer("v1internal:getCodeAssistGlobalUserSetting", "");
    assertEquals("relay", get.path("cloudaicompanionProject").textValue());
    assertFalse(get.path("freeTierDataCollectionOptin").booleanValue());
    JsonNode set = answer("v1internal:setCodeAssistGlobalUserSetting",
        "{\"cloudaicompanionProject\":\"p2\",\"freeTierDataCollectionOptin\":true}");
    assertEquals("p2", set.path("cloudaicompanionProject").textValue());
    assertTrue(set.path("freeTierDataCollectionOptin").booleanValue());
    for (String record : new String[] {"recordCodeAssistMetrics", "recordConversationOffered",
        "recordConversationInteraction"}) {
      JsonNode r = answer("v1internal:" + record, "{\"project\":\"relay\",\"metrics\":[]}");
      assertTrue(r.isObject() && r.isEmpty(), record);
    }
  }

  @Test
  void modelCallsAreNotAnsweredLocally() {
    for (String endpoint : new String[] {"v1internal:generateContent", "v1internal:streamGenerateContent",
        "v1internal:countTokens", "models/gemini-2.5-pro:generateContent"}) {
      assertTrue(CodeAssistLocalAnswers.answer(GeminiEndpoint.parse(endpoint).orElseThrow(), utf8("{}")).isEmpty(),
          endpoint);
    }
  }
}
