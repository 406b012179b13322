package dev.relaycluster.protocol.usage;

/** Model and token usage read from a complete answer (any dialect); model is null when absent. */
public record MessageUsage(String model, TokenUsage usage) {
}
