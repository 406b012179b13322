package dev.relaycluster.protocol.gemini;

import java.util.Optional;
import java.util.Set;

/**
 * A Gemini endpoint as the relay names it: {@code models/{model}:{method}} for the public API (the model is
 * in the path), {@code v1internal:{method}} for Code Assist (the model is in the body), and
 * {@code v1internal/operations/…} for a Code Assist long-running operation read with GET.
 *
 * @param codeAssist whether the client (or upstream) speaks the Code Assist envelope
 * @param model the model named in the path (public API), else null
 * @param method the method ("generateContent", "loadCodeAssist", …), or null for an operation
 * @param operation the operation name ("operations/…") of an operation read, else null
 */
public record GeminiEndpoint(boolean codeAssist, String model, String method, String operation) {
  public static final String GENERATE = "generateContent";
  public static final String STREAM = "streamGenerateContent";
  public static final String COUNT_TOKENS = "countTokens";
  public static final String LOAD_CODE_ASSIST = "loadCodeAssist";
  public static final String ONBOARD_USER = "onboardUser";
  public static final String RETRIEVE_USER_QUOTA = "retrieveUserQuota";
  /** The methods a client may call on the public API. */
  public static final Set<String> MODEL_METHODS = Set.of(GENERATE, STREAM, COUNT_TOKENS);
  /** The Code Assist calls that are not model calls ("side calls"), relayed to the session's account. */
  public static final Set<String> SIDE_METHODS = Set.of(LOAD_CODE_ASSIST, ONBOARD_USER, RETRIEVE_USER_QUOTA,
      "listExperiments", "fetchAdminControls", "getCodeAssistGlobalUserSetting", "setCodeAssistGlobalUserSetting",
      "recordCodeAssistMetrics", "recordConversationOffered", "recordConversationInteraction");

  private static final String MODELS = "models/";
  private static final String V1INTERNAL = "v1internal";

  /** {@code models/{model}:{method}}. */
  public static String ofModel(String model, String method) {
    return MODELS + model + ":" + method;
  }

  /** {@code v1internal:{method}}. */
  public static String ofCodeAssist(String method) {
    return V1INTERNAL + ":" + method;
  }

  /** {@code v1internal/{operation}} for an operation name such as {@code operations/abc}. */
  public static String ofOperation(String operation) {
    return V1INTERNAL + "/" + operation;
  }

  /** The endpoint an endpoint name stands for, empty when it is none of the three forms. */
  public static Optional<GeminiEndpoint> parse(String endpoint) {
    if (endpoint == null) {
      return Optional.empty();
    }
    if (endpoint.startsWith(MODELS)) {
      int colon = endpoint.lastIndexOf(':');
      if (colon <= MODELS.length()) {
        return Optional.empty();
      }
      String model = endpoint.substring(MODELS.length(), colon);
      String method = endpoint.substring(colon + 1);
      return MODEL_METHODS.contains(method) && !model.isBlank()
          ? Optional.of(new GeminiEndpoint(false, model, method, null)) : Optional.empty();
    }
    if (endpoint.startsWith(V1INTERNAL + ":")) {
      String method = endpoint.substring(V1INTERNAL.length() + 1);
      return MODEL_METHODS.contains(method) || SIDE_METHODS.contains(method)
          ? Optional.of(new GeminiEndpoint(true, null, method, null)) : Optional.empty();
    }
    if (endpoint.startsWith(V1INTERNAL + "/operations/") && endpoint.length() > (V1INTERNAL + "/operations/").length()) {
      return Optional.of(new GeminiEndpoint(true, null, null, endpoint.substring(V1INTERNAL.length() + 1)));
    }
    return Optional.empty();
  }

  /** The endpoint's name again (the inverse of {@link #parse}). */
  public String name() {
    if (operation != null) {
      return ofOperation(operation);
    }
    return codeAssist ? ofCodeAssist(method) : ofModel(model, method);
  }

  /** The same call in the other envelope (model calls only; the model must be given for the public form). */
  public GeminiEndpoint as(boolean codeAssistForm, String modelName) {
    return new GeminiEndpoint(codeAssistForm, codeAssistForm ? null : modelName, method, operation);
  }

  /** generateContent or streamGenerateContent: a call that costs tokens. */
  public boolean generates() {
    return GENERATE.equals(method) || STREAM.equals(method);
  }

  public boolean streams() {
    return STREAM.equals(method);
  }

  public boolean countsTokens() {
    return COUNT_TOKENS.equals(method);
  }

  /** A call about a model (generate, stream, count tokens), as opposed to a Code Assist side call. */
  public boolean modelCall() {
    return method != null && MODEL_METHODS.contains(method);
  }

  /** A Code Assist call that is not a model call (loadCodeAssist, quota, experiments, an operation). */
  public boolean sideCall() {
    return codeAssist && !modelCall();
  }

  /** How the usage record names it: the method (public API) or the whole Code Assist name. */
  public String recorded() {
    return codeAssist ? name() : method;
  }
}
