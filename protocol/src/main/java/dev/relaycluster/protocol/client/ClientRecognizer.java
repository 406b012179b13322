package dev.relaycluster.protocol.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the official CLIs by their User-Agent. Each kind has one or more patterns; the first
 * capture group, when present, is the version. Custom patterns (from configuration) are tried first.
 */
public final class ClientRecognizer {
    public static final String CLAUDE_CODE = "claude-code";
    public static final String CODEX = "codex";
    public static final String GEMINI_CLI = "gemini-cli";
    public static final String DROID = "droid";

    private record Rule(String kind, Pattern pattern) {}

    private static final List<Rule> BUILT_IN = List.of(
            new Rule(CLAUDE_CODE, Pattern.compile("^claude-cli/([0-9][\\w.+-]*)", Pattern.CASE_INSENSITIVE)),
            new Rule(CODEX, Pattern.compile("^(?:codex_cli_rs|codex_exec|codex_vscode|codex-tui)/([0-9][\\w.+-]*)",
                    Pattern.CASE_INSENSITIVE)),
            new Rule(GEMINI_CLI, Pattern.compile("^GeminiCLI(?:-[a-z]+)?/([0-9][\\w.+-]*)", Pattern.CASE_INSENSITIVE)),
            new Rule(DROID, Pattern.compile("^factory-cli/([0-9][\\w.+-]*)", Pattern.CASE_INSENSITIVE)));

    private final List<Rule> rules;

    private ClientRecognizer(List<Rule> rules) {
        this.rules = rules;
    }

    /** The built-in patterns only. */
    public static ClientRecognizer standard() {
        return new ClientRecognizer(BUILT_IN);
    }

    /**
     * The built-in patterns plus custom ones, kind → regular expressions (the first group, if any, is the
     * version). Custom patterns are tried before the built-in ones; a kind may be new or a built-in one.
     *
     * @throws IllegalArgumentException if a pattern is not a valid regular expression
     */
    public static ClientRecognizer withCustom(Map<String, List<String>> custom) {
        List<Rule> rules = new ArrayList<>();
        custom.forEach((kind, patterns) -> {
            for (String p : patterns) {
                try {
                    rules.add(new Rule(kind, Pattern.compile(p, Pattern.CASE_INSENSITIVE)));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("client pattern for " + kind + " is not a regular expression: "
                            + e.getDescription());
                }
            }
        });
        rules.addAll(BUILT_IN);
        return new ClientRecognizer(List.copyOf(rules));
    }

    public ClientIdentity recognize(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return ClientIdentity.UNKNOWN;
        }
        String ua = userAgent.trim();
        for (Rule rule : rules) {
            Matcher m = rule.pattern().matcher(ua);
            if (m.find()) {
                String version = m.groupCount() >= 1 ? m.group(1) : null;
                return new ClientIdentity(rule.kind(), version);
            }
        }
        return ClientIdentity.UNKNOWN;
    }
}
