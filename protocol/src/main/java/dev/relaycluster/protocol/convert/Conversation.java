package dev.relaycluster.protocol.convert;

import java.util.List;

/**
 * A generation request in no dialect: the intermediate model of ARCHITECTURE.md §2 that every converter
 * reads a client's request into and writes an upstream's request from.
 *
 * @param model the model asked for (a converter's caller replaces it with the upstream model)
 * @param system system and developer text, in order (empty when none)
 * @param turns the messages, user and assistant alternating as the client sent them (a reader merges
 *     consecutive same-role messages; tool results are parts of the user turn after the calls)
 * @param tools function tools (empty when none)
 * @param toolChoice null when not said
 * @param parallelToolCalls null when not said
 * @param maxTokens the most output tokens, -1 when not said
 * @param temperature null when not said
 * @param topP null when not said
 * @param topK null when not said
 * @param stop stop sequences (empty when none)
 * @param thinking how the model should reason
 * @param format the answer's shape, null for plain text
 * @param stream whether the client asked for a stream
 * @param user an end-user id the client passed (null when none)
 */
public record Conversation(
    String model,
    List<String> system,
    List<Turn> turns,
    List<ToolSpec> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    long maxTokens,
    Double temperature,
    Double topP,
    Integer topK,
    List<String> stop,
    Thinking thinking,
    OutputFormat format,
    boolean stream,
    String user) {

  public Conversation {
    system = List.copyOf(system);
    turns = List.copyOf(turns);
    tools = List.copyOf(tools);
    stop = List.copyOf(stop);
    thinking = thinking == null ? Thinking.UNSET : thinking;
  }

  /** The same conversation for another model. */
  public Conversation withModel(String other) {
    return new Conversation(other, system, turns, tools, toolChoice, parallelToolCalls, maxTokens, temperature, topP,
        topK, stop, thinking, format, stream, user);
  }

  /** The same conversation with other turns (a replay store put signatures back). */
  public Conversation withTurns(List<Turn> other) {
    return new Conversation(model, system, other, tools, toolChoice, parallelToolCalls, maxTokens, temperature, topP,
        topK, stop, thinking, format, stream, user);
  }

  /** The same conversation with other reasoning (a writer turned it off to replay a tool turn it cannot sign). */
  public Conversation withThinking(Thinking other) {
    return new Conversation(model, system, turns, tools, toolChoice, parallelToolCalls, maxTokens, temperature, topP,
        topK, stop, other, format, stream, user);
  }
}
