package dev.relaycluster.portal;

import java.util.List;

/**
 * Ready-to-paste set-up for one client: which client ({@code claude-code}, {@code codex}, {@code gemini-api},
 * {@code gemini-code-assist}, {@code openai-compatible}), the pool it uses, and its parts in order (a file to
 * write, commands to run).
 */
public record SetupSnippet(String client, String pool, List<Part> parts) {

  public SetupSnippet {
    parts = List.copyOf(parts);
  }

  /**
   * One part: {@code format} is {@code shell}, {@code toml} or {@code json}; {@code file} where it goes
   * ({@code ~/.codex/config.toml}; null for commands); {@code text} what to paste.
   */
  public record Part(String format, String file, String text) {}

  /** All of the snippet's text, for searching it. */
  public String text() {
    StringBuilder b = new StringBuilder();
    parts.forEach(p -> b.append(p.text()).append('\n'));
    return b.toString();
  }
}
