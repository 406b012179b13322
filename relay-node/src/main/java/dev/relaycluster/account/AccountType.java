package dev.relaycluster.account;

import java.util.Optional;

/** The kinds of upstream account, by how they authenticate. */
public enum AccountType {
  /** An Anthropic API key (Console), sent as x-api-key. */
  CLAUDE_CONSOLE("claude-console", "claude"),
  /** A Claude subscription's OAuth access token, sent as a bearer token. */
  CLAUDE_OAUTH("claude-oauth", "claude"),
  /** An OpenAI API key, sent as a bearer token to the Responses API. */
  OPENAI_API("openai-api", "openai"),
  /** A ChatGPT subscription's OAuth access token (Codex), with its ChatGPT account id. */
  CODEX_OAUTH("codex-oauth", "openai"),
  /** A Gemini API key, sent as x-goog-api-key to the public Gemini API. */
  GEMINI_API("gemini-api", "gemini"),
  /** A Google login's OAuth access token for Code Assist, with its Google Cloud project. */
  GEMINI_OAUTH("gemini-oauth", "gemini"),
  /** AWS Bedrock (Anthropic models): SigV4 with an access key pair, or a Bedrock API key as a bearer token. */
  BEDROCK("bedrock", "claude"),
  /** An Azure OpenAI resource's deployment, with its api-key. */
  AZURE_OPENAI("azure-openai", "openai"),
  /** A Factory (Droid) API key ({@code fk-…}), sent as a bearer token. */
  DROID_API("droid-api", "droid"),
  /** A Factory login's WorkOS OAuth access token (device flow), refreshed by the entity. */
  DROID_OAUTH("droid-oauth", "droid");

  private final String wireName;
  private final String platform;

  AccountType(String wireName, String platform) {
    this.wireName = wireName;
    this.platform = platform;
  }

  public String wireName() {
    return wireName;
  }

  /** The pool its accounts serve ("claude", "openai", "gemini", "droid"). */
  public String platform() {
    return platform;
  }

  /** Whether its credential is an OAuth token pair that the account entity refreshes. */
  public boolean oauth() {
    return this == CLAUDE_OAUTH || this == CODEX_OAUTH || this == GEMINI_OAUTH || this == DROID_OAUTH;
  }

  public static Optional<AccountType> fromWire(String name) {
    for (AccountType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
