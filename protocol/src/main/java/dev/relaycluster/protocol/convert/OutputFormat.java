package dev.relaycluster.protocol.convert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shape the answer's text must have: plain text (no record at all), any JSON object ({@code schema}
 * null), or JSON matching {@code schema} (named {@code name}, {@code strict} as the client asked).
 */
public record OutputFormat(String name, JsonNode schema, boolean strict) {}
