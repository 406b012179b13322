package dev.relaycluster.protocol.sse;

/**
 * One dispatched server-sent event.
 *
 * @param event the {@code event:} field, or null when the event had none
 * @param data  the {@code data:} lines joined with "\n" (no trailing newline); "" when there were none
 * @param id    the {@code id:} field given in this event's own block, or null when it had none
 */
public record SseEvent(String event, String data, String id) {
}
