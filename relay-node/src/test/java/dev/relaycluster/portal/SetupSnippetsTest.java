package dev.relaycluster.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetupSnippetsTest {
  private static final String BASE = "https://relay.example.com/team";

  private static List<String> clients(Set<String> pools) {
    return SetupSnippets.forKey(BASE, pools).stream().map(SetupSnippet::client).toList();
  }

  private static SetupSnippet only(String client) {
    return SetupSnippets.forKey(BASE, Set.of()).stream().filter(s -> s.client().equals(client)).findFirst()
        .orElseThrow();
  }

  @Test
  void aKeyForEveryPoolGetsEveryClient() {
    assertEquals(List.of("claude-code", "codex", "gemini-api", "gemini-code-assist", "openai-compatible"),
        clients(Set.of()));
  }

  @Test
  void onlyThePoolsTheKeyMayUse() {
    assertEquals(List.of("claude-code"), clients(Set.of("claude")));
    assertEquals(List.of("codex", "openai-compatible"), clients(Set.of("openai")));
    assertEquals(List.of("gemini-api", "gemini-code-assist"), clients(Set.of("gemini")));
    assertEquals(List.of("claude-code", "gemini-api", "gemini-code-assist"), clients(Set.of("gemini", "claude")));
    assertEquals(List.of(), clients(Set.of("droid")));
  }

  @Test
  void claudeCodeGetsTheAnthropicPathsAndTheKeyAsAToken() {
    String text = only("claude-code").text();
    assertTrue(text.contains("export ANTHROPIC_BASE_URL=\"" + BASE + "/api\""), text);
    assertTrue(text.contains("export ANTHROPIC_AUTH_TOKEN=\"YOUR_RELAY_KEY\""), text);
    assertTrue(text.contains("ANTHROPIC_API_KEY"), text);
    SetupSnippet.Part settings = only("claude-code").parts().get(1);
    assertEquals("~/.claude/settings.json", settings.file());
    assertTrue(settings.text().contains("\"ANTHROPIC_BASE_URL\": \"" + BASE + "/api\""), settings.text());
  }

  @Test
  void codexGetsAProviderBlockWithItsBaseUrlAndEnvKey() {
    SetupSnippet codex = only("codex");
    SetupSnippet.Part toml = codex.parts().get(0);
    assertEquals("toml", toml.format());
    assertEquals("~/.codex/config.toml", toml.file());
    assertTrue(toml.text().startsWith("model_provider = \"relay\"\n"), toml.text());
    assertTrue(toml.text().contains("[model_providers.relay]\n"), toml.text());
    assertTrue(toml.text().contains("base_url = \"" + BASE + "/openai\"\n"), toml.text());
    assertTrue(toml.text().contains("wire_api = \"responses\"\n"), toml.text());
    assertTrue(toml.text().contains("env_key = \"RELAY_API_KEY\"\n"), toml.text());
    assertFalse(toml.text().contains("YOUR_RELAY_KEY"), "the key belongs in the environment, not the file");
    assertTrue(codex.parts().get(1).text().contains("export RELAY_API_KEY=\"YOUR_RELAY_KEY\""));
  }

  @Test
  void geminiGetsBothModesWithTheAuthTypeEachNeeds() {
    String api = only("gemini-api").text();
    assertTrue(api.contains("\"selectedType\": \"gemini-api-key\""), api);
    assertTrue(api.contains("export GEMINI_API_KEY=\"YOUR_RELAY_KEY\""), api);
    assertTrue(api.contains("export GOOGLE_GEMINI_BASE_URL=\"" + BASE + "/gemini\""), api);
    String gca = only("gemini-code-assist").text();
    assertTrue(gca.contains("\"selectedType\": \"oauth-personal\""), gca);
    assertTrue(gca.contains("export GOOGLE_GENAI_USE_GCA=true"), gca);
    assertTrue(gca.contains("export GOOGLE_CLOUD_ACCESS_TOKEN=\"YOUR_RELAY_KEY\""), gca);
    assertTrue(gca.contains("export CODE_ASSIST_ENDPOINT=\"" + BASE + "/gemini\""), gca);
    assertFalse(gca.contains("GEMINI_API_KEY"), gca);
  }

  @Test
  void openAiCompatibleToolsGetTheVersionedBaseUrl() {
    String text = only("openai-compatible").text();
    assertTrue(text.contains("export OPENAI_BASE_URL=\"" + BASE + "/openai/v1\""), text);
    assertTrue(text.contains("export OPENAI_API_KEY=\"YOUR_RELAY_KEY\""), text);
  }

  @Test
  void everySnippetUsesTheBaseUrlAndNoOtherAddress() {
    for (SetupSnippet s : SetupSnippets.forKey(BASE, Set.of())) {
      String rest = s.text().replace(BASE, "");
      assertTrue(s.text().contains(BASE), s.client());
      assertFalse(rest.contains("http://") || rest.contains("https://"), s.client() + ": " + rest);
      assertFalse(rest.contains("$(") || rest.contains("`"), s.client());
    }
  }
}
