package dev.relaycluster.protocol.client;

/**
 * Which client sent a request, as recognised from its User-Agent: {@code kind} is one of the
 * {@code ClientRecognizer} kinds ({@code claude-code}, {@code codex}, {@code gemini-cli}, {@code droid})
 * or {@link #UNKNOWN_KIND}; {@code version} is the version it announced, or null.
 */
public record ClientIdentity(String kind, String version) {
    public static final String UNKNOWN_KIND = "unknown";
    public static final ClientIdentity UNKNOWN = new ClientIdentity(UNKNOWN_KIND, null);

    public boolean known() {
        return !UNKNOWN_KIND.equals(kind);
    }
}
