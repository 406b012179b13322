package dev.relaycluster.protocol.gemini;

import java.util.Optional;

/**
 * What the relay answers itself to a Code Assist side call when the chosen account is a Gemini API-key
 * account, which has no Code Assist backend: enough for Gemini CLI to go on (a tier and a project on
 * loadCodeAssist, a done onboarding, no quota buckets, no experiments). SKELETON.
 */
public final class CodeAssistLocalAnswers {
  private CodeAssistLocalAnswers() {}

  /** The JSON answer to a side call (or an operation read), empty for a model call. */
  public static Optional<byte[]> answer(GeminiEndpoint endpoint, byte[] body) {
    throw new UnsupportedOperationException("TODO");
  }
}
