package dev.relaycluster.protocol.dialect;

/**
 * The wire formats clients speak (and upstream platforms answer in). {@link #wireName()} is the name used
 * in client restrictions, usage records and the admin API.
 */
public enum DialectId {
  /** Anthropic Messages ({@code /v1/messages}): Claude Code and the Anthropic SDKs. */
  ANTHROPIC("anthropic"),
  /** OpenAI Responses ({@code /responses}): Codex CLI and the OpenAI SDKs' Responses API. */
  OPENAI_RESPONSES("openai-responses"),
  /** OpenAI Chat Completions ({@code /v1/chat/completions}): the OpenAI SDKs and most OpenAI-compatible tools. */
  OPENAI_CHAT("openai-chat"),
  /**
   * Gemini: the public API ({@code models/{model}:generateContent}, the SDKs and Gemini CLI with an API key)
   * and its Code Assist envelope ({@code v1internal:generateContent}, Gemini CLI logged in with Google).
   */
  GEMINI("gemini");

  private final String wireName;

  DialectId(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
