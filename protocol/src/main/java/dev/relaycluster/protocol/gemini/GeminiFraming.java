package dev.relaycluster.protocol.gemini;

import dev.relaycluster.protocol.dialect.AnswerFraming;

/**
 * The re-framing between what a Gemini upstream sends and what the client asked for (pure): the Code Assist
 * envelope taken off or put on each answer (and each SSE event), and an SSE stream turned into the JSON
 * array stream a client gets when it called {@code streamGenerateContent} without {@code alt=sse}.
 * SKELETON: signatures fixed, bodies to be implemented.
 */
public final class GeminiFraming {
  private GeminiFraming() {}

  /**
   * @param unwrap upstream answers in the Code Assist envelope, the client wants the public shape
   * @param wrap upstream answers in the public shape, the client wants the Code Assist envelope
   * @param jsonArray the client streams without {@code alt=sse}: SSE events become elements of one JSON array
   * @return {@link AnswerFraming#IDENTITY} when nothing changes
   */
  public static AnswerFraming of(boolean unwrap, boolean wrap, boolean jsonArray) {
    throw new UnsupportedOperationException("TODO");
  }
}
