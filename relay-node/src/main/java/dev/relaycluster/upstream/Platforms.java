package dev.relaycluster.upstream;

import dev.relaycluster.upstream.azure.AzurePlatform;
import dev.relaycluster.upstream.bedrock.BedrockPlatform;
import dev.relaycluster.upstream.claude.ClaudePlatform;
import dev.relaycluster.upstream.droid.DroidPlatform;
import dev.relaycluster.upstream.gemini.CodeAssistPlatform;
import dev.relaycluster.upstream.gemini.GeminiApiPlatform;
import dev.relaycluster.upstream.openai.CodexPlatform;
import dev.relaycluster.upstream.openai.OpenAiPlatform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Every {@link Platform} the node knows, by the account type it serves. */
public final class Platforms {
  private static final Platforms STANDARD = new Platforms(
      new ClaudePlatform("claude-console", false),
      new ClaudePlatform("claude-oauth", true),
      new BedrockPlatform(),
      new OpenAiPlatform(),
      new CodexPlatform(),
      new AzurePlatform(),
      new GeminiApiPlatform(),
      new CodeAssistPlatform(),
      new DroidPlatform(DroidPlatform.API, false),
      new DroidPlatform(DroidPlatform.OAUTH, true));

  private final Map<String, Platform> byType = new LinkedHashMap<>();

  public Platforms(Platform... platforms) {
    for (Platform p : platforms) {
      byType.put(p.accountType(), p);
    }
  }

  /** The platforms of this release. */
  public static Platforms standard() {
    return STANDARD;
  }

  public Optional<Platform> find(String accountType) {
    return Optional.ofNullable(byType.get(accountType));
  }

  /**
   * The family {@code model}'s cooldowns are kept per in {@code pool}, as the pool's platforms name it (they
   * agree within a pool); null when no platform serves the pool.
   */
  public String modelFamily(String pool, String model) {
    for (Platform p : byType.values()) {
      if (p.pool().equals(pool)) {
        return p.modelFamily(model);
      }
    }
    return null;
  }

  /** The platform of an account type this node created accounts of. */
  public Platform of(String accountType) {
    Platform p = byType.get(accountType);
    if (p == null) {
      throw new IllegalArgumentException("no platform serves account type " + accountType);
    }
    return p;
  }
}
