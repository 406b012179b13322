package dev.relaycluster.protocol.convert;

import java.util.List;

/** One message of a conversation: who speaks and what, in order. */
public record Turn(Role role, List<Part> parts) {

  public Turn {
    parts = List.copyOf(parts);
  }
}
