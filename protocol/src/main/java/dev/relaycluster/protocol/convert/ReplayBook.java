package dev.relaycluster.protocol.convert;

/**
 * What a writer may need to replay an earlier tool turn that the client could not carry back itself:
 * the signed reasoning that preceded a tool call, and a tool call's own signature (Gemini's
 * thoughtSignature), both by the call's id. The relay keeps them for a while (ARCHITECTURE.md §2);
 * a writer that finds nothing does without ({@link #NONE}).
 */
public interface ReplayBook {

  ReplayBook NONE = new ReplayBook() {
    @Override
    public Part.Reasoning reasoningBefore(String toolCallId) {
      return null;
    }

    @Override
    public String callSignature(String toolCallId) {
      return null;
    }
  };

  /** The signed reasoning that preceded the call, or null. */
  Part.Reasoning reasoningBefore(String toolCallId);

  /** The call's own signature, or null. */
  String callSignature(String toolCallId);
}
