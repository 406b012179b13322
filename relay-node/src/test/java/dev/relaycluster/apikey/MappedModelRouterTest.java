package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.config.ModelMap;
import dev.relaycluster.config.ModelRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The router over the model maps: the key's map first, then the operator's (as it is at the call), then the
 * path's home pool with the name as asked; nothing for a name no map knows on a path of every pool. The pool it
 * picks is the one the key's permission is checked against.
 */
class MappedModelRouterTest {
  private static final ModelMap OPERATOR = new ModelMap(List.of(
      new ModelRule("claude-*", "claude", null),
      new ModelRule("gpt-*", "openai", null),
      new ModelRule("sonnet", "claude", "claude-sonnet-4-5")));

  private static KeyEntry key(List<ModelRule> map, Set<String> pools) {
    KeySettings s = new KeySettings("k", "", List.of(), KeyLimits.NONE,
        new KeyAccess(pools, List.of(), List.of(), List.of()), KeyExpiry.NONE, Map.of(), Map.of(), map);
    return new KeyEntry("key-1", "k", "hash", "cr_1", 0, KeyStatus.ACTIVE, 1, 0, 1, s, 0, 0);
  }

  private static Optional<ModelRoute> route(KeyEntry key, String model, String home) {
    return new MappedModelRouter(() -> OPERATOR).route(key, model, home);
  }

  @Test
  void theKeysMapComesFirst() {
    KeyEntry codex = key(List.of(new ModelRule("claude-*", "openai", "gpt-5.1-codex")), Set.of());
    assertEquals(Optional.of(new ModelRoute("openai", "gpt-5.1-codex")), route(codex, "claude-sonnet-4-5", "claude"));
    assertEquals(Optional.of(new ModelRoute("openai", "gpt-5.1-codex")), route(codex, "claude-haiku-4-5", null));
    // What the key's map does not name goes on to the operator's.
    assertEquals(Optional.of(new ModelRoute("claude", "claude-sonnet-4-5")), route(codex, "sonnet", "openai"));
    KeyEntry alias = key(List.of(new ModelRule("sonnet", "claude", "claude-sonnet-4-6")), Set.of());
    assertEquals(Optional.of(new ModelRoute("claude", "claude-sonnet-4-6")), route(alias, "Sonnet", null));
  }

  @Test
  void thenTheOperatorsMapThenTheHomePool() {
    KeyEntry plain = key(List.of(), Set.of());
    assertEquals(Optional.of(new ModelRoute("claude", "claude-opus-4-5")), route(plain, "claude-opus-4-5", "claude"));
    assertEquals(Optional.of(new ModelRoute("claude", "claude-opus-4-5")), route(plain, "claude-opus-4-5", null));
    assertEquals(Optional.of(new ModelRoute("openai", "gpt-5")), route(plain, "gpt-5", "claude"));
    assertEquals(Optional.of(new ModelRoute("claude", "claude-sonnet-4-5")), route(plain, "sonnet", "claude"));
    // A name no rule knows stays in the pool of the path it came to, as asked.
    assertEquals(Optional.of(new ModelRoute("claude", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")),
        route(plain, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude"));
    assertEquals(Optional.of(new ModelRoute("gemini", "llama-3")), route(plain, "llama-3", "gemini"));
    assertEquals(Optional.of(new ModelRoute("openai", null)), route(plain, null, "openai"), "a call without a model");
  }

  @Test
  void nothingForANameNoMapKnowsOnAPathOfEveryPool() {
    assertEquals(Optional.empty(), route(key(List.of(), Set.of()), "llama-3", null));
    assertEquals(Optional.empty(), route(key(List.of(), Set.of()), null, null));
  }

  @Test
  void theOperatorsMapIsReadAtEachCall() {
    AtomicReference<ModelMap> live = new AtomicReference<>(OPERATOR);
    MappedModelRouter router = new MappedModelRouter(live::get);
    KeyEntry plain = key(List.of(), Set.of());
    assertEquals(Optional.empty(), router.route(plain, "fast", null));
    live.set(new ModelMap(List.of(new ModelRule("fast", "gemini", "gemini-3.8-flash"))));
    assertEquals(Optional.of(new ModelRoute("gemini", "gemini-3.8-flash")), router.route(plain, "fast", null));
  }

  @Test
  void theKeysPermissionIsCheckedForThePoolTheMapPicked() {
    KeyEntry claudeOnly = key(List.of(), Set.of("claude"));
    ModelRoute r = route(claudeOnly, "gpt-5", "claude").orElseThrow();
    RequestFacts facts = new RequestFacts(r.pool(), "anthropic", r.model(), "unknown", 0, 0);
    Admission.Refuse refused = StaticPolicy.check(claudeOnly, facts, 0).orElseThrow();
    assertEquals(Refusal.PERMISSION, refused.refusal());
    assertEquals("permission rule: this API key may not use the openai pool (it may use: claude)", refused.message());
    ModelRoute home = route(claudeOnly, "sonnet", "claude").orElseThrow();
    assertEquals(Optional.empty(), StaticPolicy.check(claudeOnly,
        new RequestFacts(home.pool(), "anthropic", home.model(), "unknown", 0, 0), 0));
  }
}
