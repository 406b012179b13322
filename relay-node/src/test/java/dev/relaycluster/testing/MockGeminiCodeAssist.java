package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Code Assist calls of {@link MockGemini} that are not model calls: {@code loadCodeAssist} (a current
 * tier and project, or, for an account still to onboard, only {@code allowedTiers} with free-tier the
 * default), {@code onboardUser} (a long-running operation that is done on its second poll of
 * {@code GET /v1internal/operations/{id}}, giving the account {@link MockGemini#ONBOARDED_PROJECT}),
 * {@code retrieveUserQuota}, {@code listExperiments}, {@code fetchAdminControls}, the global user setting
 * and the metrics calls (answered {@code {}}).
 */
final class MockGeminiCodeAssist {
  /** How many GETs of an onboarding operation answer done:false before it is done. */
  static final int POLLS_BEFORE_DONE = 1;
  static final String[] QUOTA_MODELS = {"gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite",
      "gemini-3-pro-preview", "gemini-3-flash-preview"};

  /** A call's answer. */
  record Answer(int status, String body) {}

  private record Operation(MockGeminiAuth.Account account, AtomicInteger polls) {}

  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile double remainingFraction = 1.0;

  void remainingFraction(double fraction) {
    remainingFraction = fraction;
  }

  /** Answers {@code POST /v1internal:<method>} (or a GET of the global user setting), or null if unknown. */
  Answer call(String method, MockGeminiAuth.Account account, JsonNode body) {
    ObjectNode r = MockGeminiAnswers.JSON.createObjectNode();
    switch (method) {
      case "loadCodeAssist" -> loadCodeAssist(account, r);
      case "onboardUser" -> {
        String name = "operations/onboard-" + ids.incrementAndGet();
        operations.put(name, new Operation(account, new AtomicInteger()));
        r.put("name", name).put("done", false);
      }
      case "retrieveUserQuota" -> {
        ArrayNode buckets = r.putArray("buckets");
        String reset = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        for (String model : QUOTA_MODELS) {
          buckets.addObject().put("remainingAmount", String.valueOf(Math.round(1000 * remainingFraction)))
              .put("remainingFraction", remainingFraction).put("resetTime", reset).put("tokenType", "REQUESTS")
              .put("modelId", model);
        }
      }
      case "listExperiments" -> {
        r.putArray("experimentIds");
        r.putArray("flags");
        r.put("debugString", "mock");
      }
      case "fetchAdminControls", "recordCodeAssistMetrics", "recordConversationOffered",
          "recordConversationInteraction" -> {
        // {}: no admin controls, metrics taken
      }
      case "getCodeAssistGlobalUserSetting", "setCodeAssistGlobalUserSetting" -> {
        String project = body.path("cloudaicompanionProject").asText(account.project());
        if (project != null) {
          r.put("cloudaicompanionProject", project);
        }
        r.put("freeTierDataCollectionOptin", body.path("freeTierDataCollectionOptin").asBoolean(false));
      }
      default -> {
        return null;
      }
    }
    return new Answer(200, MockGeminiAnswers.pretty(r));
  }

  /** {@code GET /v1internal/operations/<id>}. */
  Answer operation(String name, MockGeminiAuth.Account account) {
    Operation op = operations.get(name);
    if (op == null || op.account() != account) {
      return new Answer(404, MockGeminiErrors.notFound("Operation " + name + " not found."));
    }
    ObjectNode r = MockGeminiAnswers.JSON.createObjectNode();
    r.put("name", name);
    if (op.polls().incrementAndGet() <= POLLS_BEFORE_DONE) {
      r.put("done", false);
    } else {
      account.project = MockGemini.ONBOARDED_PROJECT;
      r.put("done", true);
      ObjectNode response = r.putObject("response");
      response.put("@type", "type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse");
      response.putObject("cloudaicompanionProject").put("id", MockGemini.ONBOARDED_PROJECT)
          .put("name", "Gemini Code Assist (mock)");
    }
    return new Answer(200, MockGeminiAnswers.pretty(r));
  }

  private static void loadCodeAssist(MockGeminiAuth.Account account, ObjectNode r) {
    ObjectNode free = tier("free-tier", "Gemini Code Assist for individuals", false);
    ObjectNode standard = tier("standard-tier", "Gemini Code Assist", true);
    String project = account.project();
    if (project != null) {
      r.set("currentTier", free.deepCopy().put("hasOnboardedPreviously", true));
    }
    ArrayNode allowed = r.putArray("allowedTiers");
    allowed.add(free.deepCopy().put("isDefault", true));
    allowed.add(standard);
    if (project != null) {
      r.put("cloudaicompanionProject", project);
    }
    r.put("gcpManaged", false);
  }

  private static ObjectNode tier(String id, String name, boolean userDefinedProject) {
    ObjectNode t = MockGeminiAnswers.JSON.createObjectNode();
    t.put("id", id).put("name", name).put("description", name + " (mock tier)")
        .put("userDefinedCloudaicompanionProject", userDefinedProject);
    t.putObject("privacyNotice").put("showNotice", false);
    return t;
  }
}
