package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.client.ClientRecognizer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The node-side rules, with the User-Agents the real CLIs send. */
class StaticPolicyTest {
  static final String CLAUDE_CODE_UA = "claude-cli/2.0.14 (external, cli)";
  static final String CODEX_UA = "codex_cli_rs/0.46.0 (Mac OS 15.6.1; arm64) iTerm.app/3.6.1";
  static final String GEMINI_UA = "GeminiCLI/0.9.0 (darwin; arm64)";
  private static final ClientRecognizer CLIENTS = ClientRecognizer.standard();
  private static final long NOW = 1_800_000_000_000L;

  private static KeyEntry key(KeyAccess access, KeyExpiry expiry, long activatedAt) {
    KeySettings s = new KeySettings("k", "", List.of(), KeyLimits.NONE, access, expiry, Map.of(), Map.of());
    return new KeyEntry("id", "k", "h", "cr_x", 0, KeyStatus.ACTIVE, 1, 0, 2, s, activatedAt, 0);
  }

  private static KeyEntry key(KeyAccess access) {
    return key(access, KeyExpiry.NONE, 0);
  }

  private static RequestFacts facts(String model, String userAgent) {
    return new RequestFacts("claude", ClientPaths.ANTHROPIC, model, CLIENTS.recognize(userAgent).kind(), 0, 0);
  }

  private static Optional<Admission.Refuse> check(KeyEntry key, RequestFacts facts) {
    return StaticPolicy.check(key, facts, NOW);
  }

  @Test
  void anUnrestrictedKeyPasses() {
    assertEquals(Optional.empty(), check(key(KeyAccess.ANY), facts("claude-opus-4-1", null)));
  }

  @Test
  void revokedAndDeletedKeysAreRefusedFirst() {
    KeyEntry k = key(new KeyAccess(Set.of("openai"), List.of(), List.of(), List.of()), KeyExpiry.fixed(1), 0);
    KeyEntry revoked = new KeyEntry(k.id(), k.name(), k.keyHash(), k.keyHint(), 0, KeyStatus.REVOKED, 1, 5, 3,
        k.settings(), 0, 0);
    KeyEntry deleted = new KeyEntry(k.id(), k.name(), k.keyHash(), k.keyHint(), 0, KeyStatus.DELETED, 1, 0, 3,
        k.settings(), 0, 5);
    assertEquals(Refusal.REVOKED, check(revoked, facts("m", null)).orElseThrow().refusal());
    assertEquals(Refusal.DELETED, check(deleted, facts("m", null)).orElseThrow().refusal());
    assertEquals(401, Refusal.DELETED.status());
    assertEquals(Refusal.EXPIRED, check(k, facts("m", null)).orElseThrow().refusal());
  }

  @Test
  void expiryIsCheckedOnTheNodeForFixedAndActivatedKeys() {
    assertEquals(Optional.empty(), check(key(KeyAccess.ANY, KeyExpiry.fixed(NOW + 1), 0), facts("m", null)));
    assertEquals(Refusal.EXPIRED, check(key(KeyAccess.ANY, KeyExpiry.fixed(NOW), 0), facts("m", null)).get().refusal());
    assertEquals(Optional.empty(), check(key(KeyAccess.ANY, KeyExpiry.activation(1_000), 0), facts("m", null)),
        "not yet activated: the entity decides");
    assertEquals(Refusal.EXPIRED,
        check(key(KeyAccess.ANY, KeyExpiry.activation(1_000), NOW - 1_000), facts("m", null)).get().refusal());
  }

  @Test
  void permissionNamesThePools() {
    KeyAccess openaiOnly = new KeyAccess(Set.of("openai", "gemini"), List.of(), List.of(), List.of());
    Admission.Refuse r = check(key(openaiOnly), facts("claude-sonnet-4-5", CLAUDE_CODE_UA)).orElseThrow();
    assertEquals(Refusal.PERMISSION, r.refusal());
    assertEquals(403, r.refusal().status());
    assertEquals("permission rule: this API key may not use the claude pool (it may use: gemini, openai)", r.message());
    KeyAccess claude = new KeyAccess(Set.of("claude"), List.of(), List.of(), List.of());
    assertEquals(Optional.empty(), check(key(claude), facts("claude-sonnet-4-5", CLAUDE_CODE_UA)));
  }

  @Test
  void clientRestrictionByRealUserAgentsAndThePathsEachClientUses() {
    KeyAccess claudeCode = new KeyAccess(Set.of(), List.of(), List.of(), List.of("claude-code"));
    assertEquals(Optional.empty(), check(key(claudeCode), facts("claude-sonnet-4-5", CLAUDE_CODE_UA)));
    Admission.Refuse codex = check(key(claudeCode), facts("claude-sonnet-4-5", CODEX_UA)).orElseThrow();
    assertEquals(Refusal.CLIENT, codex.refusal());
    assertTrue(codex.message().startsWith("client rule: this API key may only be used from claude-code"), codex.message());
    assertEquals(Refusal.CLIENT, check(key(claudeCode), facts("m", GEMINI_UA)).orElseThrow().refusal());
    assertEquals(Refusal.CLIENT, check(key(claudeCode), facts("m", null)).orElseThrow().refusal());
    assertEquals(Refusal.CLIENT, check(key(claudeCode), facts("m", "curl/8.7.1")).orElseThrow().refusal());

    // Codex and Gemini CLI do not speak the Messages paths: their User-Agent there is refused by the path rule.
    KeyAccess cliTools = new KeyAccess(Set.of(), List.of(), List.of(), List.of("codex", "gemini-cli"));
    Admission.Refuse path = check(key(cliTools), facts("m", CODEX_UA)).orElseThrow();
    assertEquals("client rule: codex does not use anthropic paths, so this API key (restricted to codex, gemini-cli)"
        + " may not be used here", path.message());
    assertEquals(Refusal.CLIENT, check(key(cliTools), facts("m", GEMINI_UA)).orElseThrow().refusal());
    RequestFacts codexOnResponses = new RequestFacts("openai", ClientPaths.OPENAI_RESPONSES, "gpt-5-codex",
        CLIENTS.recognize(CODEX_UA).kind(), 0, 0);
    assertEquals(Optional.empty(), check(key(cliTools), codexOnResponses));
    RequestFacts geminiOnGemini = new RequestFacts("gemini", ClientPaths.GEMINI, "gemini-2.5-pro",
        CLIENTS.recognize(GEMINI_UA).kind(), 0, 0);
    assertEquals(Optional.empty(), check(key(cliTools), geminiOnGemini));
  }

  @Test
  void customClientKindsAreNotTiedToAPath() {
    ClientRecognizer custom = ClientRecognizer.withCustom(Map.of("our-bot", List.of("^our-bot/(\\S+)")));
    KeyAccess bot = new KeyAccess(Set.of(), List.of(), List.of(), List.of("our-bot"));
    RequestFacts f = new RequestFacts("claude", ClientPaths.ANTHROPIC, "m", custom.recognize("our-bot/1.2").kind(), 0, 0);
    assertEquals(Optional.empty(), check(key(bot), f));
  }

  @Test
  void modelRestrictionByAllowAndBlockLists() {
    KeyAccess noOpus = new KeyAccess(Set.of(), List.of(), List.of("claude-opus-*"), List.of());
    Admission.Refuse r = check(key(noOpus), facts("claude-opus-4-1-20250805", null)).orElseThrow();
    assertEquals(Refusal.MODEL, r.refusal());
    assertEquals("model rule: this API key may not use model claude-opus-4-1-20250805 (blocked: claude-opus-*)",
        r.message());
    assertEquals(Refusal.MODEL, check(key(noOpus), facts("anthropic/Claude-Opus-4-1", null)).orElseThrow().refusal(),
        "vendor prefixes and case do not get around the rule");
    assertEquals(Optional.empty(), check(key(noOpus), facts("claude-sonnet-4-5", null)));
    assertEquals(Refusal.MODEL, check(key(noOpus), facts("us.anthropic.claude-opus-4-1-20250805-v1:0", null))
        .orElseThrow().refusal(), "nor do Bedrock region prefixes");
    assertEquals(Refusal.MODEL, check(key(noOpus), facts("ccr,claude-opus-4-1", null)).orElseThrow().refusal());
    assertEquals(Optional.empty(), check(key(noOpus), facts("claude-3-opus-20240229", null)),
        "the pattern says what it blocks");
    KeyAccess anyOpus = new KeyAccess(Set.of(), List.of(), List.of("*opus*"), List.of());
    assertEquals(Refusal.MODEL, check(key(anyOpus), facts("claude-3-opus-20240229", null)).orElseThrow().refusal());
    assertEquals(Refusal.MODEL, check(key(anyOpus), facts("claude-opus-4-1", null)).orElseThrow().refusal());
    assertEquals(Optional.empty(), check(key(anyOpus), facts("claude-sonnet-4-5", null)));

    KeyAccess only = new KeyAccess(Set.of(), List.of("claude-sonnet-4-5", "claude-haiku-*"), List.of(), List.of());
    assertEquals(Optional.empty(), check(key(only), facts("claude-sonnet-4-5", null)));
    assertEquals(Optional.empty(), check(key(only), facts("claude-haiku-4-5-20251001", null)));
    Admission.Refuse notListed = check(key(only), facts("claude-sonnet-4-5-20250929", null)).orElseThrow();
    assertEquals("model rule: this API key may not use model claude-sonnet-4-5-20250929"
        + " (allowed: claude-sonnet-4-5, claude-haiku-*)", notListed.message());
  }
}
