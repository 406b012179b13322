package dev.relaycluster.protocol.convert;

/**
 * A request written in an upstream's dialect: the dialect's endpoint name ("messages", "responses",
 * "models/gemini-2.5-pro:streamGenerateContent", "chat/completions"), its query (without '?'; empty when
 * none) and the JSON body. {@code notes} are what the writer had to leave out or change that the client
 * may want to know (shown in a response header); empty when nothing.
 */
public record WrittenRequest(String endpoint, String query, byte[] body, java.util.List<String> notes) {

  public WrittenRequest {
    query = query == null ? "" : query;
    notes = notes == null ? java.util.List.of() : java.util.List.copyOf(notes);
  }
}
