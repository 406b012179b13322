package dev.relaycluster.apikey;

import java.util.Map;
import java.util.Set;

/**
 * Which request dialects (path families) each recognised CLI really uses, so that a key restricted to a
 * client cannot be used through another API with that client's User-Agent: Claude Code speaks the
 * Anthropic Messages paths, Codex the OpenAI Responses paths, Gemini CLI the Gemini paths, Droid all three
 * of its relayed formats. Custom client kinds from configuration are not tied to a dialect.
 */
public final class ClientPaths {
  public static final String ANTHROPIC = "anthropic";
  public static final String OPENAI_RESPONSES = "openai-responses";
  public static final String OPENAI_CHAT = "openai-chat";
  public static final String GEMINI = "gemini";

  private static final Map<String, Set<String>> DIALECTS = Map.of(
      "claude-code", Set.of(ANTHROPIC),
      "codex", Set.of(OPENAI_RESPONSES),
      "gemini-cli", Set.of(GEMINI),
      "droid", Set.of(ANTHROPIC, OPENAI_RESPONSES, OPENAI_CHAT));

  private ClientPaths() {}

  /** The built-in client kinds. */
  public static Set<String> builtInKinds() {
    return DIALECTS.keySet();
  }

  public static boolean speaks(String clientKind, String dialect) {
    Set<String> dialects = DIALECTS.get(clientKind);
    return dialects == null || dialects.contains(dialect);
  }
}
