package dev.relaycluster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The model map's rules (globs, order, aliases, case) and the defaults the node ships with. */
class ModelMapTest {
  private static final ModelMap DEFAULTS = ModelMapSettings.from(ConfigFactory.load());

  @Test
  void globsMatchWholeNamesIgnoringCase() {
    ModelRule claude = new ModelRule("claude-*", "claude", null);
    assertTrue(claude.matches("claude-sonnet-4-5"));
    assertTrue(claude.matches("CLAUDE-Opus-4-5"));
    assertTrue(claude.matches("claude-"));
    assertFalse(claude.matches("us.anthropic.claude-sonnet-4-5"), "a pattern matches the whole name");
    assertFalse(claude.matches("claude"));
    ModelRule inner = new ModelRule("*-codex*", "openai", null);
    assertTrue(inner.matches("gpt-5.1-codex-max"));
    assertTrue(inner.matches("x-codex"));
    assertFalse(inner.matches("codex"));
    ModelRule twoStars = new ModelRule("gemini-*-flash*", "gemini", null);
    assertTrue(twoStars.matches("gemini-3-flash-preview"));
    assertTrue(twoStars.matches("gemini-2.5-flash"));
    assertFalse(twoStars.matches("gemini-3-pro"));
    ModelRule exact = new ModelRule("Sonnet", "claude", "claude-sonnet-4-5");
    assertTrue(exact.matches("sonnet"));
    assertTrue(exact.matches(" SONNET "));
    assertFalse(exact.matches("sonnet-4"));
    assertFalse(exact.matches(null));
    assertTrue(new ModelRule("*", "claude", null).matches("anything"));
  }

  @Test
  void theFirstMatchWinsAndATargetReplacesTheName() {
    ModelMap map = new ModelMap(List.of(
        new ModelRule("claude-haiku-*", "gemini", "gemini-3-flash"),
        new ModelRule("claude-*", "claude", null),
        new ModelRule("claude-opus-*", "openai", "gpt-5.1-codex")));
    assertEquals(Optional.of(map.rules().get(0)), map.find("claude-haiku-4-5"));
    assertEquals("gemini-3-flash", map.find("claude-haiku-4-5").get().target("claude-haiku-4-5"));
    assertEquals(map.rules().get(1), map.find("claude-opus-4-5").get(), "an earlier rule shadows a later one");
    assertEquals("Claude-Opus-4-5", map.find("Claude-Opus-4-5").get().target("Claude-Opus-4-5"),
        "no target: the name exactly as asked");
    assertEquals(Optional.empty(), map.find("gpt-5"));
    assertEquals(Optional.empty(), map.find(null));
    assertEquals(Optional.empty(), map.find(""));
  }

  @Test
  void aRuleIsNormalised() {
    ModelRule r = new ModelRule("  sonnet ", " Claude ", "  ");
    assertEquals(new ModelRule("sonnet", "claude", null), r);
    assertNull(r.model());
  }

  @Test
  void theDefaultsSendEachFamilyToItsPoolAndKnowTheAliases() {
    assertEquals(List.of(
        new ModelRule("claude-*", "claude", null),
        new ModelRule("gemini-*", "gemini", null),
        new ModelRule("gpt-*", "openai", null),
        new ModelRule("o1*", "openai", null),
        new ModelRule("o3*", "openai", null),
        new ModelRule("o4*", "openai", null),
        new ModelRule("codex-*", "openai", null),
        new ModelRule("sonnet", "claude", "claude-sonnet-4-5"),
        new ModelRule("opus", "claude", "claude-opus-4-5"),
        new ModelRule("haiku", "claude", "claude-haiku-4-5"),
        new ModelRule("fast", "gemini", "gemini-3.8-flash")), DEFAULTS.rules());
    assertEquals("claude", DEFAULTS.find("claude-sonnet-4-5-20250929").get().pool());
    assertEquals("gemini", DEFAULTS.find("gemini-2.5-pro").get().pool());
    assertEquals("openai", DEFAULTS.find("gpt-5.1-codex-max").get().pool());
    assertEquals("openai", DEFAULTS.find("o4-mini").get().pool());
    assertEquals("openai", DEFAULTS.find("codex-mini-latest").get().pool());
    assertEquals("claude-sonnet-4-5", DEFAULTS.find("Sonnet").get().target("Sonnet"));
    assertEquals("gemini-3.8-flash", DEFAULTS.find("fast").get().target("fast"));
    assertEquals(Optional.empty(), DEFAULTS.find("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assertEquals(Optional.empty(), DEFAULTS.find("llama-3"));
  }

  @Test
  void relayModelMapReplacesTheDefaults() {
    ModelMap map = ModelMapSettings.from(ConfigFactory.parseString(
        "relay.models.override = \"\"\"[{\"match\": \"*\", \"pool\": \"openai\", \"model\": \"gpt-5.1-codex\"}]\"\"\"")
        .withFallback(ConfigFactory.load()));
    assertEquals(List.of(new ModelRule("*", "openai", "gpt-5.1-codex")), map.rules());

    ConfigException bad = assertThrows(ConfigException.class, () -> ModelMapSettings.from(ConfigFactory.parseString(
        "relay.models.override = \"\"\"[{\"match\": \"x\", \"pool\": \"mars\"}]\"\"\"").withFallback(ConfigFactory.load())));
    assertTrue(bad.getMessage().contains("RELAY_MODEL_MAP[0].pool: one of claude, droid, gemini, openai"),
        bad.getMessage());
    ConfigException notJson = assertThrows(ConfigException.class, () -> ModelMapSettings.from(
        ConfigFactory.parseString("relay.models.override = \"[{\"").withFallback(ConfigFactory.load())));
    assertTrue(notJson.getMessage().contains("RELAY_MODEL_MAP is not JSON"), notJson.getMessage());
    ConfigException badHocon = assertThrows(ConfigException.class, () -> ModelMapSettings.from(
        ConfigFactory.parseString("relay.models.rules = [{ match = \"\", pool = claude }]")
            .withFallback(ConfigFactory.load())));
    assertTrue(badHocon.getMessage().contains("relay.models.rules[0].match"), badHocon.getMessage());
  }
}
