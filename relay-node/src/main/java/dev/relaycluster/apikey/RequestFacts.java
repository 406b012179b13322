package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;
import java.util.Locale;

/**
 * What the key's policy and entity need to know about one request: the pool and dialect (the path family
 * it came in on: {@code anthropic}, {@code openai-responses}, {@code openai-chat}, {@code gemini}), the
 * requested model, the recognised client kind, and the estimate of its rated cost and tokens that
 * admission reserves until the real usage settles.
 */
public record RequestFacts(
    String pool,
    String dialect,
    String model,
    String clientKind,
    long estimatedCostMicros,
    long estimatedTokens) implements CborSerializable {

  /** Facts of a request nothing is known about (an admission from an older node): no estimate. */
  public static final RequestFacts UNKNOWN = new RequestFacts("claude", "anthropic", "", "unknown", 0, 0);

  /** Whether the model is of the Claude Opus family, which the weekly limit counts. */
  public boolean opus() {
    return isOpus(model);
  }

  public static boolean isOpus(String model) {
    return model != null && model.toLowerCase(Locale.ROOT).contains("opus");
  }
}
