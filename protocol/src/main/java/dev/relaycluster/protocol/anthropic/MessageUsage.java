package dev.relaycluster.protocol.anthropic;

import dev.relaycluster.protocol.usage.TokenUsage;

/** Model and token usage read from a complete Anthropic message; model is null when absent. */
public record MessageUsage(String model, TokenUsage usage) {
}
