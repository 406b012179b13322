package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * How a Google login finds the Google Cloud project its Code Assist calls name (Gemini CLI's setup): the
 * {@code loadCodeAssist} body and answer, the {@code onboardUser} body for a tier, the long-running
 * operation it answers with, and the decision what to do next ({@link #next}). Pure; the caller makes the
 * calls ({@code POST {base}/v1internal:loadCodeAssist}, {@code POST {base}/v1internal:onboardUser},
 * {@code GET {base}/v1internal/{operation name}} until done).
 */
public final class CodeAssistSetup {
  public static final String FREE_TIER = "free-tier";
  public static final String LEGACY_TIER = "legacy-tier";
  public static final String STANDARD_TIER = "standard-tier";
  static final String VALIDATION_REQUIRED = "VALIDATION_REQUIRED";

  private CodeAssistSetup() {}

  /** A tier as loadCodeAssist lists it; {@code userDefinedProject}: the user must bring their own project. */
  public record Tier(String id, String name, boolean isDefault, boolean userDefinedProject) {}

  /**
   * A loadCodeAssist answer: the tier the user is on (null: not onboarded), the tiers they may onboard to,
   * their project (null when the answer names none), why they cannot use tiers ({@code ineligible}
   * messages), and a verification link when Google wants the account verified in a browser first.
   */
  public record Loaded(Tier currentTier, List<Tier> allowedTiers, String project, List<String> ineligible,
      String validationUrl) {

    /** The tier to onboard to: the allowed tier marked default, else the legacy tier (own project). */
    public Tier defaultTier() {
      return allowedTiers.stream().filter(Tier::isDefault).findFirst()
          .orElse(new Tier(LEGACY_TIER, "", true, true));
    }
  }

  /** An onboardUser operation: its name (to poll), whether it is done, the project it made, its error. */
  public record Operation(String name, boolean done, String project, String error) {}

  /** What to do after loadCodeAssist answered. */
  public sealed interface Step {}

  /** The project is known. */
  public record Found(String project, String tierId) implements Step {}

  /** Onboard the user to {@code tierId} (send {@link #onboardBody}). */
  public record Onboard(String tierId) implements Step {}

  /** The login cannot be used for Code Assist as it is; {@code message} says why, for the operator. */
  public record Refused(String message) implements Step {}

  /** {@code {cloudaicompanionProject?, metadata:{ideType, platform, pluginType, duetProject?}}}; a null project is left out. */
  public static byte[] loadCodeAssistBody(String project) {
    ObjectNode body = Json.mapper().createObjectNode();
    if (project != null) {
      body.put("cloudaicompanionProject", project);
    }
    body.set("metadata", metadata(project));
    return Json.write(body);
  }

  /**
   * {@code {tierId, cloudaicompanionProject?, metadata}}. The free tier runs on a project Google manages
   * and refuses one in the request, so it is sent without; other tiers carry {@code project} (may be null).
   */
  public static byte[] onboardBody(String tierId, String project) {
    boolean free = FREE_TIER.equals(tierId);
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("tierId", tierId);
    if (!free && project != null) {
      body.put("cloudaicompanionProject", project);
    }
    body.set("metadata", metadata(free ? null : project));
    return Json.write(body);
  }

  /** @throws IllegalArgumentException when the answer is not a JSON object */
  public static Loaded readLoad(byte[] body) {
    JsonNode n = object(body, "loadCodeAssist");
    List<Tier> allowed = new ArrayList<>();
    n.path("allowedTiers").forEach(t -> allowed.add(tier(t)));
    List<String> ineligible = new ArrayList<>();
    String validationUrl = null;
    for (JsonNode t : n.path("ineligibleTiers")) {
      String message = text(t, "reasonMessage");
      ineligible.add(message != null ? message : String.valueOf(text(t, "reasonCode")));
      if (validationUrl == null && VALIDATION_REQUIRED.equals(text(t, "reasonCode"))) {
        validationUrl = text(t, "validationUrl");
      }
    }
    JsonNode current = n.path("currentTier");
    // The project comes as a plain id; tolerate the {id, name} object the operation answer uses.
    JsonNode project = n.path("cloudaicompanionProject");
    return new Loaded(current.isObject() ? tier(current) : null, List.copyOf(allowed),
        project.isObject() ? text(project, "id") : text(n, "cloudaicompanionProject"), List.copyOf(ineligible),
        validationUrl);
  }

  /**
   * What follows a loadCodeAssist answer. {@code project} is the operator's own project, null when none was
   * given. On a tier already: its project, else the operator's, else refused (a Workspace or standard-tier
   * login needs a project). Not onboarded: verification first when Google asks for it, else onboard to the
   * default tier.
   */
  public static Step next(Loaded loaded, String project) {
    if (loaded.currentTier() != null) {
      if (loaded.project() != null) {
        return new Found(loaded.project(), loaded.currentTier().id());
      }
      if (project != null) {
        return new Found(project, loaded.currentTier().id());
      }
      return new Refused(needsProject(loaded));
    }
    if (loaded.validationUrl() != null) {
      return new Refused("Google asks to verify this account first: open " + loaded.validationUrl()
          + " in a browser logged in as it, then try again");
    }
    return new Onboard(loaded.defaultTier().id() != null ? loaded.defaultTier().id() : LEGACY_TIER);
  }

  /** What a finished onboarding leads to: the project it made, else the operator's, else refused. */
  public static Step afterOnboarding(Operation done, Loaded loaded, String tierId, String project) {
    if (done.error() != null) {
      return new Refused("onboarding to " + tierId + " failed: " + done.error());
    }
    if (done.project() != null) {
      return new Found(done.project(), tierId);
    }
    return project != null ? new Found(project, tierId) : new Refused(needsProject(loaded));
  }

  /** @throws IllegalArgumentException when the answer is not a JSON object */
  public static Operation readOperation(byte[] body) {
    JsonNode n = object(body, "onboardUser");
    JsonNode project = n.path("response").path("cloudaicompanionProject");
    JsonNode error = n.path("error");
    String why = error.isObject() ? text(error, "message") : null;
    return new Operation(text(n, "name"), n.path("done").asBoolean(false),
        project.isObject() ? text(project, "id") : text(n.path("response"), "cloudaicompanionProject"),
        error.isObject() ? (why != null ? why : "error " + error.path("code").asText("?")) : null);
  }

  private static String needsProject(Loaded loaded) {
    return loaded.ineligible().isEmpty()
        ? "this Google account has no Code Assist project of its own (Workspace or standard tier): give projectId,"
            + " the id of a Google Cloud project with the Gemini for Google Cloud API enabled"
        : "this Google account cannot use Code Assist: " + String.join("; ", loaded.ineligible())
            + " (or give projectId)";
  }

  private static ObjectNode metadata(String project) {
    ObjectNode m = Json.mapper().createObjectNode();
    m.put("ideType", "IDE_UNSPECIFIED").put("platform", "PLATFORM_UNSPECIFIED").put("pluginType", "GEMINI");
    if (project != null) {
      m.put("duetProject", project);
    }
    return m;
  }

  private static Tier tier(JsonNode t) {
    return new Tier(text(t, "id"), text(t, "name"), t.path("isDefault").asBoolean(false),
        t.path("userDefinedCloudaicompanionProject").asBoolean(false));
  }

  private static JsonNode object(byte[] body, String what) {
    return Json.tryParse(body == null ? new byte[0] : body).filter(JsonNode::isObject).orElseThrow(() ->
        new IllegalArgumentException(what + ": the answer is not a JSON object"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
  }
}
