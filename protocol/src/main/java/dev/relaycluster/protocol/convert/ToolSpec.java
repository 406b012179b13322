package dev.relaycluster.protocol.convert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function tool the model may call: its name, description (may be null) and JSON Schema of its
 * arguments ({@code parameters}, an object schema; never null: an empty object schema when none).
 * {@code freeform}: the client declared it as a free-form tool whose input is one string (a Responses
 * {@code custom} tool such as Codex's apply_patch); in the model it is a function with one string
 * argument {@code input}, and a client of the dialect that has free-form tools gets its calls back as such.
 */
public record ToolSpec(String name, String description, JsonNode parameters, boolean freeform) {

  public ToolSpec(String name, String description, JsonNode parameters) {
    this(name, description, parameters, false);
  }
}
