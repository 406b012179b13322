package dev.relaycluster.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientRecognizerTest {
    private final ClientRecognizer recognizer = ClientRecognizer.standard();

    @Test
    void recognisesTheRealUserAgentsOfTheCliTools() {
        assertEquals(new ClientIdentity("claude-code", "2.0.14"),
                recognizer.recognize("claude-cli/2.0.14 (external, cli)"));
        assertEquals(new ClientIdentity("codex", "0.46.0"),
                recognizer.recognize("codex_cli_rs/0.46.0 (Mac OS 15.6.1; arm64) iTerm.app/3.6.1"));
        assertEquals(new ClientIdentity("codex", "0.50.0"),
                recognizer.recognize("codex_exec/0.50.0 (Ubuntu 24.04; x86_64) unknown"));
        assertEquals(new ClientIdentity("codex", "0.47.0"),
                recognizer.recognize("codex_vscode/0.47.0 (Windows 10.0.26100; x86_64) unknown (VS Code; 1.105.0)"));
        assertEquals(new ClientIdentity("gemini-cli", "0.9.0"),
                recognizer.recognize("GeminiCLI/0.9.0 (darwin; arm64)"));
        // Gemini CLI 0.61 names its surface after the product name.
        assertEquals(new ClientIdentity("gemini-cli", "0.61.0"),
                recognizer.recognize("GeminiCLI-tui/0.61.0/gemini-2.5-pro (linux; x64; terminal)"));
        assertEquals(new ClientIdentity("droid", "0.22.3"), recognizer.recognize("factory-cli/0.22.3"));
    }

    @Test
    void anythingElseIsUnknown() {
        assertFalse(recognizer.recognize("Anthropic/Java 3.12.0").known());
        assertFalse(recognizer.recognize("curl/8.5.0").known());
        assertFalse(recognizer.recognize("my-claude-cli/1.0").known());
        assertFalse(recognizer.recognize(null).known());
        assertFalse(recognizer.recognize("  ").known());
    }

    @Test
    void customPatternsComeFirstAndMayAddKinds() {
        ClientRecognizer custom = ClientRecognizer.withCustom(Map.of(
                "cline", List.of("^Cline/([0-9.]+)"),
                "claude-code", List.of("^claude-code-enterprise/([0-9.]+)")));
        assertEquals(new ClientIdentity("cline", "3.1"), custom.recognize("Cline/3.1 (vscode)"));
        assertEquals(new ClientIdentity("claude-code", "1.2"), custom.recognize("claude-code-enterprise/1.2"));
        assertEquals("claude-code", custom.recognize("claude-cli/2.0.1 (external, cli)").kind());
    }

    @Test
    void aBrokenCustomPatternIsRefusedWithItsKind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientRecognizer.withCustom(Map.of("x", List.of("(unclosed"))));
        assertEquals(true, e.getMessage().contains("x"));
    }
}
