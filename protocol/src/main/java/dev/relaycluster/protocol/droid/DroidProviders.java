package dev.relaycluster.protocol.droid;

import java.util.Locale;

/**
 * The {@code x-api-provider} header Factory's LLM proxy routes a call by, as the Droid CLI sends it: Anthropic
 * Messages go to {@code anthropic}; Responses to {@code azure_openai} ({@code openai} for the {@code *-max}
 * models); Chat Completions by the model's family ({@code gemini*} → {@code google}, {@code claude*} →
 * {@code anthropic}, {@code glm*} → {@code fireworks}, anything else {@code azure_openai}). Pure.
 */
public final class DroidProviders {
  public static final String ANTHROPIC = "anthropic";
  public static final String AZURE_OPENAI = "azure_openai";
  public static final String OPENAI = "openai";
  public static final String GOOGLE = "google";
  public static final String FIREWORKS = "fireworks";

  private DroidProviders() {}

  /** For {@code /a/v1/messages}. */
  public static String messages() {
    return ANTHROPIC;
  }

  /** For {@code /o/v1/responses}. */
  public static String responses(String model) {
    return lower(model).endsWith("-max") ? OPENAI : AZURE_OPENAI;
  }

  /** For {@code /o/v1/chat/completions}. */
  public static String chat(String model) {
    String m = lower(model);
    if (m.startsWith("gemini")) {
      return GOOGLE;
    }
    if (m.startsWith("claude")) {
      return ANTHROPIC;
    }
    if (m.startsWith("glm")) {
      return FIREWORKS;
    }
    return AZURE_OPENAI;
  }

  private static String lower(String model) {
    return model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
  }
}
