package dev.relaycluster.protocol.session;

/** A key grouping the requests of one client conversation (for sticky routing), and where it came from. */
public record SessionKey(String value, SessionKeySource source) {
}
