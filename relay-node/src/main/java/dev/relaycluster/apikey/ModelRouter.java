package dev.relaycluster.apikey;

import java.util.Locale;
import java.util.Optional;

/**
 * Which pool and upstream model a request's model name means for a key (issue 20's model map): the key's
 * own map first, then the operator's, then the pool of the path the client called ({@code homePool}, null
 * for paths that serve every pool, as Chat Completions). Empty when nothing serves the name.
 */
public interface ModelRouter {

  Optional<ModelRoute> route(KeyEntry key, String model, String homePool);

  /**
   * The router with no map at all: the home pool with the name as asked, or for a path of every pool the
   * pool a name's prefix says ({@code claude-*}, {@code gemini-*}, {@code gpt-*} / {@code o<digit>*} /
   * {@code codex-*}).
   */
  ModelRouter PREFIXES = (key, model, homePool) -> {
    if (homePool != null) {
      return Optional.of(new ModelRoute(homePool, model));
    }
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    if (m.startsWith("claude-")) {
      return Optional.of(new ModelRoute("claude", model));
    }
    if (m.startsWith("gemini-")) {
      return Optional.of(new ModelRoute("gemini", model));
    }
    if (m.startsWith("gpt-") || m.startsWith("codex-") || m.matches("o\\d.*")) {
      return Optional.of(new ModelRoute("openai", model));
    }
    return Optional.empty();
  };
}
