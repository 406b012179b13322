package dev.relaycluster.account;

import java.util.Optional;

/** The kinds of upstream account, by how they authenticate. */
public enum AccountType {
  /** An Anthropic API key (Console), sent as x-api-key. */
  CLAUDE_CONSOLE("claude-console", "claude"),
  /** A Claude subscription's OAuth access token, sent as a bearer token. */
  CLAUDE_OAUTH("claude-oauth", "claude");

  private final String wireName;
  private final String platform;

  AccountType(String wireName, String platform) {
    this.wireName = wireName;
    this.platform = platform;
  }

  public String wireName() {
    return wireName;
  }

  public String platform() {
    return platform;
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
