package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;
import java.util.Optional;

/**
 * What the relay answers itself to a Code Assist side call when the chosen account is a Gemini API-key
 * account, which has no Code Assist backend: enough for Gemini CLI to go on (a tier and a project on
 * loadCodeAssist, a done onboarding, no quota buckets, no experiments). The shapes are those Gemini CLI's
 * {@code code_assist/types.ts} and {@code setup.ts} read:
 * <ul>
 *   <li>loadCodeAssist: {@code currentTier} (standard-tier, onboarded) and {@code cloudaicompanionProject}
 *       (the project the client asked for, else {@value #PROJECT}); with both, the CLI skips onboarding;</li>
 *   <li>onboardUser and an operation read: a done long-running operation whose
 *       {@code response.cloudaicompanionProject.id} is that project;</li>
 *   <li>retrieveUserQuota {@code {"buckets":[]}} (the CLI then shows no quota and assumes no preview-model
 *       access); listExperiments {@code {"experimentIds":[],"flags":[]}}; fetchAdminControls
 *       {@code {"adminControlsApplicable":false}} (the CLI applies no admin settings);
 *       get/setCodeAssistGlobalUserSetting the project and the data-collection opt-in (off unless set);
 *       the record* calls {@code {}}.</li>
 * </ul>
 */
public final class CodeAssistLocalAnswers {
  /** The project named when the client named none. */
  public static final String PROJECT = "relay";

  private CodeAssistLocalAnswers() {}

  /** The JSON answer to a side call (or an operation read), empty for a model call. */
  public static Optional<byte[]> answer(GeminiEndpoint endpoint, byte[] body) {
    if (endpoint == null || !endpoint.sideCall()) {
      return Optional.empty();
    }
    JsonNode request = body == null ? null : Json.tryParse(body).filter(JsonNode::isObject).orElse(null);
    ObjectNode out = Json.mapper().createObjectNode();
    if (endpoint.operation() != null) {
      doneOperation(out, endpoint.operation(), PROJECT);
      return Optional.of(Json.write(out));
    }
    String project = clientProject(request);
    switch (endpoint.method()) {
      case GeminiEndpoint.LOAD_CODE_ASSIST -> {
        tier(out.putObject("currentTier"));
        tier(out.putArray("allowedTiers").addObject());
        out.put("cloudaicompanionProject", project);
      }
      case GeminiEndpoint.ONBOARD_USER -> doneOperation(out, "operations/relay-onboard", project);
      case GeminiEndpoint.RETRIEVE_USER_QUOTA -> out.putArray("buckets");
      case "listExperiments" -> {
        out.putArray("experimentIds");
        out.putArray("flags");
      }
      case "fetchAdminControls" -> out.put("adminControlsApplicable", false);
      case "getCodeAssistGlobalUserSetting", "setCodeAssistGlobalUserSetting" -> {
        out.put("cloudaicompanionProject", project);
        JsonNode optIn = request == null ? null : request.get("freeTierDataCollectionOptin");
        out.put("freeTierDataCollectionOptin", optIn != null && optIn.asBoolean(false));
      }
      default -> {
        // recordCodeAssistMetrics, recordConversation*: nothing to say
      }
    }
    return Optional.of(Json.write(out));
  }

  /** The project the client named ({@code cloudaicompanionProject} or {@code project}), else {@value #PROJECT}. */
  private static String clientProject(JsonNode request) {
    String named = Json.text(request, "cloudaicompanionProject");
    if (named == null || named.isBlank()) {
      named = Json.text(request, "project");
    }
    return named == null || named.isBlank() ? PROJECT : named;
  }

  private static void tier(ObjectNode tier) {
    tier.put("id", "standard-tier");
    tier.put("name", "Gemini Code Assist (relay)");
    tier.put("description", "Served by the relay from a Gemini API key.");
    tier.put("userDefinedCloudaicompanionProject", false);
    tier.put("isDefault", true);
    tier.put("hasAcceptedTos", true);
    tier.put("hasOnboardedPreviously", true);
  }

  private static void doneOperation(ObjectNode out, String name, String project) {
    out.put("name", name);
    out.put("done", true);
    ObjectNode response = out.putObject("response");
    response.put("@type", "type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse");
    ObjectNode companion = response.putObject("cloudaicompanionProject");
    companion.put("id", project);
    companion.put("name", project);
  }
}
