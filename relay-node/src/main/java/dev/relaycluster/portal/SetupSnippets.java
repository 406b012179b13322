package dev.relaycluster.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The set-up a key holder pastes to point each client at this relay, for the pools the key may use: Claude
 * Code (claude), Codex CLI and OpenAI-compatible tools (openai), Gemini CLI in API-key and in Google-login
 * (Code Assist) mode (gemini). The key appears only as {@link #KEY_PLACEHOLDER}; the page puts the holder's
 * own key in its place in the browser when asked, so the server never writes a key into an answer.
 */
public final class SetupSnippets {
  /** Stands for the key in every snippet. */
  public static final String KEY_PLACEHOLDER = "YOUR_RELAY_KEY";

  private SetupSnippets() {}

  /**
   * @param baseUrl this relay's address without a trailing slash ({@link PublicBaseUrl})
   * @param pools the pools the key may use; empty means all of them
   */
  public static List<SetupSnippet> forKey(String baseUrl, Set<String> pools) {
    List<SetupSnippet> out = new ArrayList<>();
    if (allows(pools, "claude")) {
      out.add(claudeCode(baseUrl));
    }
    if (allows(pools, "openai")) {
      out.add(codex(baseUrl));
    }
    if (allows(pools, "gemini")) {
      out.add(geminiApiKey(baseUrl));
      out.add(geminiCodeAssist(baseUrl));
    }
    if (allows(pools, "openai")) {
      out.add(openAiCompatible(baseUrl));
    }
    return List.copyOf(out);
  }

  private static boolean allows(Set<String> pools, String pool) {
    return pools == null || pools.isEmpty() || pools.contains(pool);
  }

  static SetupSnippet claudeCode(String base) {
    String shell = """
        export ANTHROPIC_BASE_URL="%1$s/api"
        export ANTHROPIC_AUTH_TOKEN="%2$s"
        # or, instead of ANTHROPIC_AUTH_TOKEN: export ANTHROPIC_API_KEY="%2$s"
        claude
        """.formatted(base, KEY_PLACEHOLDER);
    String settings = """
        {
          "env": {
            "ANTHROPIC_BASE_URL": "%s/api",
            "ANTHROPIC_AUTH_TOKEN": "%s"
          }
        }
        """.formatted(base, KEY_PLACEHOLDER);
    return new SetupSnippet("claude-code", "claude", List.of(
        new SetupSnippet.Part("shell", null, shell),
        new SetupSnippet.Part("json", "~/.claude/settings.json", settings)));
  }

  static SetupSnippet codex(String base) {
    String toml = """
        model_provider = "relay"

        [model_providers.relay]
        name = "Relay"
        base_url = "%s/openai"
        wire_api = "responses"
        env_key = "RELAY_API_KEY"
        """.formatted(base);
    String shell = """
        export RELAY_API_KEY="%s"
        codex
        """.formatted(KEY_PLACEHOLDER);
    return new SetupSnippet("codex", "openai", List.of(
        new SetupSnippet.Part("toml", "~/.codex/config.toml", toml),
        new SetupSnippet.Part("shell", null, shell)));
  }

  static SetupSnippet geminiApiKey(String base) {
    String settings = """
        { "security": { "auth": { "selectedType": "gemini-api-key" } } }
        """;
    String shell = """
        export GEMINI_API_KEY="%s"
        export GOOGLE_GEMINI_BASE_URL="%s/gemini"
        export GEMINI_CLI_TRUST_WORKSPACE=true
        gemini
        """.formatted(KEY_PLACEHOLDER, base);
    return new SetupSnippet("gemini-api", "gemini", List.of(
        new SetupSnippet.Part("json", "~/.gemini/settings.json", settings),
        new SetupSnippet.Part("shell", null, shell)));
  }

  static SetupSnippet geminiCodeAssist(String base) {
    String settings = """
        { "security": { "auth": { "selectedType": "oauth-personal" } } }
        """;
    String shell = """
        export GOOGLE_GENAI_USE_GCA=true
        export GOOGLE_CLOUD_ACCESS_TOKEN="%s"
        export CODE_ASSIST_ENDPOINT="%s/gemini"
        export GEMINI_CLI_TRUST_WORKSPACE=true
        gemini
        """.formatted(KEY_PLACEHOLDER, base);
    return new SetupSnippet("gemini-code-assist", "gemini", List.of(
        new SetupSnippet.Part("json", "~/.gemini/settings.json", settings),
        new SetupSnippet.Part("shell", null, shell)));
  }

  static SetupSnippet openAiCompatible(String base) {
    String shell = """
        # Base URL and API key for tools and SDKs that speak the OpenAI Responses API
        export OPENAI_BASE_URL="%s/openai/v1"
        export OPENAI_API_KEY="%s"
        curl -s "$OPENAI_BASE_URL/models" -H "Authorization: Bearer $OPENAI_API_KEY"
        """.formatted(base, KEY_PLACEHOLDER);
    return new SetupSnippet("openai-compatible", "openai", List.of(new SetupSnippet.Part("shell", null, shell)));
  }
}
