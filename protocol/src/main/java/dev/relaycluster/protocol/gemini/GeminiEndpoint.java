package dev.relaycluster.protocol.gemini;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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
  /**
   * A model name the relay passes on (in an upstream URL, in a usage record): letters, digits and {@code . _ @ -},
   * at most 128 characters, as every Gemini model id is ("gemini-2.5-flash-lite-preview-06-17").
   */
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
  /** An operation id after {@code operations/}: the same characters and {@code /}, at most 128. */
  private static final Pattern OPERATION_ID = Pattern.compile("[A-Za-z0-9._~-][A-Za-z0-9._~/-]{0,127}");

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

  /** Whether {@code model} is a plain model name (see {@link #MODEL_NAME}), fit for an upstream URL. */
  public static boolean plainModel(String model) {
    return model != null && MODEL_NAME.matcher(model).matches();
  }

  /**
   * The endpoint an endpoint name stands for, empty when it is none of the three forms, or when its model or
   * operation is not a plain name.
   */
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
      return MODEL_METHODS.contains(method) && plainModel(model)
          ? Optional.of(new GeminiEndpoint(false, model, method, null)) : Optional.empty();
    }
    if (endpoint.startsWith(V1INTERNAL + ":")) {
      String method = endpoint.substring(V1INTERNAL.length() + 1);
      return MODEL_METHODS.contains(method) || SIDE_METHODS.contains(method)
          ? Optional.of(new GeminiEndpoint(true, null, method, null)) : Optional.empty();
    }
    String operations = V1INTERNAL + "/operations/";
    if (endpoint.startsWith(operations) && OPERATION_ID.matcher(endpoint.substring(operations.length())).matches()) {
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
