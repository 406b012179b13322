package dev.relaycluster.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real Codex CLI ({@link CodexCli}) against {@link MockOpenAi}'s API paths: a prompt, a tool
 * round trip (the CLI runs the shell command and sends its function_call_output back), {@code exec resume
 * --last}, usage in {@code --json} output, and the WebSocket transport. Skipped when codex is not installed.
 */
class CodexCliMockTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_ENV = "RELAY_TEST_OPENAI_KEY";

  @TempDir
  Path dir;
  private MockOpenAi mock;

  @BeforeEach
  void start() throws IOException {
    CodexCli.assumeInstalled();
    mock = new MockOpenAi();
  }

  @AfterEach
  void stop() throws IOException {
    if (mock != null) {
      mock.close();
    }
  }

  private CodexCli cli(boolean webSocket) throws IOException {
    return new CodexCli(dir, mock.apiBaseUrl(), KEY_ENV, MockOpenAi.API_KEY, webSocket);
  }

  private List<MockOpenAi.Received> modelCalls() {
    return mock.received().stream().filter(r -> r.method().equals("POST") || r.method().equals("WS")).toList();
  }

  @Test
  void promptPrintsTheMocksText() throws Exception {
    CodexCli.Result r = cli(false).exec("say hi");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockOpenAi.TEXT), r.toString());
    assertEquals(1, mock.requests(MockOpenAi.API_KEY));
    assertEquals(0, mock.upgrades());
    MockOpenAi.Received req = mock.last(MockOpenAi.API_KEY);
    assertEquals("/v1/responses", req.path());
    assertEquals("codex_exec", req.header("originator"));
    assertTrue(req.header("user-agent").startsWith("codex_exec/" + CodexCli.VERSION), req.header("user-agent"));
    assertNotNull(req.header("session-id"));
    assertEquals(req.header("session-id"), req.json().path("prompt_cache_key").asText());
    assertNull(req.header("x-codex-turn-state"));
    assertTrue(req.json().path("stream").asBoolean());
  }

  @Test
  void jsonOutputCarriesTheMocksUsage() throws Exception {
    CodexCli.Result r = cli(false).exec("--json", "say hi");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode usage = null;
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith("{")) {
        JsonNode event = JSON.readTree(line);
        if (event.path("type").asText().equals("turn.completed")) {
          usage = event.path("usage");
        }
      }
    }
    assertNotNull(usage, r.toString());
    assertEquals(MockOpenAi.INPUT_TOKENS, usage.path("input_tokens").asInt());
    assertEquals(MockOpenAi.CACHED_TOKENS, usage.path("cached_input_tokens").asInt());
    assertEquals(MockOpenAi.OUTPUT_TOKENS, usage.path("output_tokens").asInt());
    assertEquals(MockOpenAi.REASONING_TOKENS, usage.path("reasoning_output_tokens").asInt());
  }

  @Test
  void toolRoundTrip() throws Exception {
    CodexCli.Result r = cli(false).exec("-m", "mock-tool", "run the tool");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockOpenAiEvents.TOOL_RESULT_PREFIX), r.toString());
    assertTrue(r.stdout().contains(MockOpenAiEvents.TOOL_OUTPUT), r.toString());
    List<MockOpenAi.Received> calls = modelCalls();
    assertEquals(2, calls.size());
    assertTrue(calls.get(1).bodyText().contains("\"function_call_output\""));
    // The follow-up of the same turn replays the turn state the mock handed out on the first answer.
    assertNull(calls.get(0).header("x-codex-turn-state"));
    assertTrue(calls.get(1).header("x-codex-turn-state").startsWith("ts_"));
  }

  @Test
  void resumeLastContinuesTheSession() throws Exception {
    CodexCli cli = cli(false);
    assertEquals(0, cli.exec("say hi").exitCode());
    CodexCli.Result r = cli.exec("resume", "--last", "again");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockOpenAi.TEXT), r.toString());
    List<MockOpenAi.Received> calls = modelCalls();
    assertEquals(2, calls.size());
    assertEquals(calls.get(0).header("session-id"), calls.get(1).header("session-id"));
    assertTrue(calls.get(1).header("x-codex-turn-metadata").contains("\"history_initialization\":\"cold_resume\""));
    assertTrue(calls.get(1).bodyText().contains("say hi") && calls.get(1).bodyText().contains("again"));
  }

  @Test
  void upstreamErrorFailsTheRunWithoutRetriesWhenAskedTo() throws Exception {
    List<String> args = new java.util.ArrayList<>(CodexCli.NO_RETRIES);
    args.addAll(List.of("-m", "mock-429", "hi"));
    CodexCli.Result r = cli(false).exec(args.toArray(String[]::new));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains("429"), r.toString());
    assertEquals(1, mock.requests(MockOpenAi.API_KEY));
  }

  @Test
  void webSocketTransportWhenTheProviderSupportsIt() throws Exception {
    CodexCli.Result r = cli(true).exec("-m", "mock-tool", "run the tool");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockOpenAiEvents.TOOL_OUTPUT), r.toString());
    assertEquals(1, mock.upgrades(MockOpenAi.API_KEY));
    assertEquals(0, mock.pathHits("/v1/responses") - 1, "only the upgrade went over HTTP");
    List<MockOpenAi.Received> frames = modelCalls();
    assertEquals(3, frames.size());
    assertTrue(frames.stream().allMatch(f -> f.method().equals("WS")));
    assertFalse(frames.get(0).json().path("generate").asBoolean(true), "the first frame is a prewarm");
    assertTrue(frames.get(1).json().hasNonNull("previous_response_id"));
    assertTrue(frames.get(2).bodyText().contains("\"function_call_output\""));
    assertEquals("responses_websockets=2026-02-06", frames.get(0).header("openai-beta"));
  }
}
