package dev.relaycluster.http;

import dev.relaycluster.apikey.ModelRoute;
import java.util.Optional;

/**
 * Which pool a request on a Droid path ({@code /droid/claude}, {@code /droid/openai}, {@code /droid/comm}) goes
 * to: the {@code droid} pool when the key may use it and the pool has accounts (the model as the model map names
 * it for that pool, else as asked); otherwise the pool the model map gives the model, as on the other paths (a
 * Droid user whose key or relay has only Claude or OpenAI accounts is served by those). Whether the key may use
 * the pool picked is its policy's question, which answers a key that may use neither with the usual permission
 * error. Pure.
 */
final class DroidPoolChoice {
  static final String DROID = "droid";

  private DroidPoolChoice() {}

  /**
   * @param mapped the model map's route for the model, with the path's home pool ({@code claude} on
   *     {@code /droid/claude}, {@code openai} on {@code /droid/openai}, none on {@code /droid/comm})
   */
  static Optional<ModelRoute> choose(boolean keyMayUseDroid, boolean droidHasAccounts, String model,
      Optional<ModelRoute> mapped) {
    if (keyMayUseDroid && droidHasAccounts) {
      return Optional.of(mapped.filter(r -> r.pool().equals(DROID)).orElseGet(() -> new ModelRoute(DROID, model)));
    }
    return mapped;
  }
}
