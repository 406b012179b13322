package dev.relaycluster.protocol.convert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function tool the model may call: its name, description (may be null) and JSON Schema of its
 * arguments ({@code parameters}, an object schema; never null: an empty object schema when none).
 */
public record ToolSpec(String name, String description, JsonNode parameters) {}
