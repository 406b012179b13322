package dev.relaycluster.protocol.convert;

/** Why an answer ended, in no dialect; each codec maps its own reasons onto these and back. */
public enum StopReason {
  /** The model finished its turn (Chat "stop", Anthropic "end_turn", Gemini STOP). */
  END_TURN,
  /** A stop sequence was produced. */
  STOP_SEQUENCE,
  /** The output token limit was reached (Chat "length"). */
  MAX_TOKENS,
  /** The model called tools and waits for their results. */
  TOOL_USE,
  /** The answer was withheld or cut by a safety filter (Gemini SAFETY, Chat "content_filter"). */
  CONTENT_FILTER,
  /** The model declined (Anthropic "refusal"). */
  REFUSAL,
  /** The model paused a long turn to be continued (Anthropic "pause_turn"). */
  PAUSE
}
