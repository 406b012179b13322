package dev.relaycluster.protocol.session;

/** Where a {@link SessionKey} was found. */
public enum SessionKeySource {
    CLAUDE_CODE_HEADER,
    CLAUDE_METADATA_JSON,
    CLAUDE_METADATA_LEGACY,
    CODEX_HEADER,
    CODEX_PROMPT_CACHE_KEY,
    CHAT_PROMPT_CACHE_KEY,
    GEMINI_CODE_ASSIST,
    PREFIX_HASH
}
