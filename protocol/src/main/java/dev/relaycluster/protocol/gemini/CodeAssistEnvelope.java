package dev.relaycluster.protocol.gemini;

/**
 * Moves Gemini requests and answers between the public API's shape and the Code Assist envelope (pure).
 * SKELETON: signatures fixed, bodies to be implemented.
 */
public final class CodeAssistEnvelope {
  private CodeAssistEnvelope() {}

  /**
   * A public-API request body for {@code endpoint} (a model call in public form) as the Code Assist body an
   * OAuth account is sent: {@code {model, project, user_prompt_id, request:{…}}}; for countTokens
   * {@code {request:{model:"models/<m>", contents}}}. {@code userPromptId} may be null (one is made up).
   */
  public static byte[] wrapRequest(byte[] publicBody, GeminiEndpoint endpoint, String project, String userPromptId) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * A Code Assist body for a model call as the public-API body: {@code request} taken out, with the fields
   * the public API refuses ({@code session_id}; for countTokens the inner {@code model}) dropped.
   */
  public static byte[] unwrapRequest(byte[] codeAssistBody, GeminiEndpoint endpoint) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * A Code Assist body with the account's project set where the method carries one ({@code project} on model
   * calls and quota/experiment calls, {@code cloudaicompanionProject} on loadCodeAssist and onboardUser);
   * unchanged when {@code project} is null or blank or the body is not a JSON object.
   */
  public static byte[] withProject(byte[] codeAssistBody, GeminiEndpoint endpoint, String project) {
    throw new UnsupportedOperationException("TODO");
  }

  /** One Code Assist answer object ({@code {response:{…}, traceId}}) as the public answer ({@code traceId} → {@code responseId}). */
  public static byte[] unwrapAnswer(byte[] codeAssistAnswer) {
    throw new UnsupportedOperationException("TODO");
  }

  /** One public answer object as Code Assist sends it: {@code {response:{…}}}. */
  public static byte[] wrapAnswer(byte[] publicAnswer) {
    throw new UnsupportedOperationException("TODO");
  }
}
