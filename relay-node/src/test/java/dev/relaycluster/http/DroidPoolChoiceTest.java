package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.apikey.ModelRoute;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DroidPoolChoiceTest {
  private static final Optional<ModelRoute> CLAUDE = Optional.of(new ModelRoute("claude", "claude-sonnet-4-5"));

  @Test
  void theDroidPoolWhenTheKeyMayUseItAndItHasAccounts() {
    assertEquals(Optional.of(new ModelRoute("droid", "claude-sonnet-4-5")),
        DroidPoolChoice.choose(true, true, "claude-sonnet-4-5", CLAUDE));
    // A model the map sends nowhere (GLM on the Chat path) still goes to the droid pool.
    assertEquals(Optional.of(new ModelRoute("droid", "glm-4.6")),
        DroidPoolChoice.choose(true, true, "glm-4.6", Optional.empty()));
  }

  @Test
  void theMapsNameForTheDroidPoolIsKept() {
    assertEquals(Optional.of(new ModelRoute("droid", "claude-opus-4-5")), DroidPoolChoice.choose(true, true, "big",
        Optional.of(new ModelRoute("droid", "claude-opus-4-5"))));
  }

  @Test
  void otherwiseThePoolTheModelMapGives() {
    // The key may not use the droid pool.
    assertEquals(CLAUDE, DroidPoolChoice.choose(false, true, "claude-sonnet-4-5", CLAUDE));
    // The droid pool has no accounts.
    assertEquals(CLAUDE, DroidPoolChoice.choose(true, false, "claude-sonnet-4-5", CLAUDE));
    Optional<ModelRoute> openai = Optional.of(new ModelRoute("openai", "gpt-5"));
    assertEquals(openai, DroidPoolChoice.choose(false, false, "gpt-5", openai));
    assertEquals(Optional.empty(), DroidPoolChoice.choose(false, true, "glm-4.6", Optional.empty()));
  }
}
