package dev.relaycluster.protocol.droid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DroidProvidersTest {

  @Test
  void messagesGoToAnthropic() {
    assertEquals("anthropic", DroidProviders.messages());
  }

  @Test
  void responsesGoToAzureButTheMaxModelsToOpenAi() {
    assertEquals("azure_openai", DroidProviders.responses("gpt-5-codex"));
    assertEquals("openai", DroidProviders.responses("gpt-5.1-codex-max"));
    assertEquals("azure_openai", DroidProviders.responses(null));
  }

  @Test
  void chatFollowsTheModelFamily() {
    assertEquals("google", DroidProviders.chat("gemini-2.5-pro"));
    assertEquals("anthropic", DroidProviders.chat("Claude-Sonnet-4-5"));
    assertEquals("fireworks", DroidProviders.chat("glm-4.6"));
    assertEquals("azure_openai", DroidProviders.chat("gpt-5"));
    assertEquals("azure_openai", DroidProviders.chat(null));
  }
}
