package dev.relaycluster.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.usage.TokenUsage;

/**
 * Merges the {@code usage} objects of an Anthropic message (message_start or a whole message, then any
 * message_delta) into one {@link TokenUsage}.
 */
final class UsageAccumulator {

    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long cache5m;
    private long cache1h;
    private boolean breakdown;
    private long startOutput;
    private long deltaOutput;
    private boolean sawDeltaOutput;

    /** Usage of message_start, or of a complete non-streaming message (a tree; ignored unless an object). */
    void addStart(JsonNode usage) {
        addStart(UsageFields.of(usage));
    }

    /** Usage of message_start, or of a complete non-streaming message; null (no usage object) is ignored. */
    void addStart(UsageFields usage) {
        if (usage != null) {
            addInputSide(usage);
            startOutput = Math.max(startOutput, usage.output());
        }
    }

    /**
     * Usage of a message_delta: cumulative output (last wins) and possibly cumulative input-side totals; null (no
     * usage object) is ignored.
     */
    void addDelta(UsageFields usage) {
        if (usage != null) {
            addInputSide(usage);
            if (usage.outputGiven()) {
                deltaOutput = usage.output();
                sawDeltaOutput = true;
            }
        }
    }

    TokenUsage usage() {
        return new TokenUsage(
                input,
                sawDeltaOutput ? deltaOutput : startOutput,
                cacheRead,
                breakdown ? cache5m : cacheCreation,
                breakdown ? cache1h : 0);
    }

    private void addInputSide(UsageFields usage) {
        input = Math.max(input, usage.input());
        cacheRead = Math.max(cacheRead, usage.cacheRead());
        cacheCreation = Math.max(cacheCreation, usage.cacheCreation());
        if (usage.split()) {
            breakdown = true;
            cache5m = Math.max(cache5m, usage.split5m());
            cache1h = Math.max(cache1h, usage.split1h());
        }
    }
}
