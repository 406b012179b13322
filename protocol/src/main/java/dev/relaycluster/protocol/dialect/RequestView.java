package dev.relaycluster.protocol.dialect;

import dev.relaycluster.protocol.session.SessionKey;
import java.util.Optional;

/**
 * What the relay needs to know of a client request, whatever its dialect: the model asked for, whether
 * the answer is streamed, the most output tokens it may produce (-1 unknown), whether it generates
 * (costs tokens; a token count or a model list does not), and the conversation's session key.
 */
public record RequestView(String model, boolean stream, long maxTokens, boolean generates,
    Optional<SessionKey> sessionKey) {

  public RequestView {
    sessionKey = sessionKey == null ? Optional.empty() : sessionKey;
  }
}
