package dev.relaycluster.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real Codex CLI ({@code codex exec}, tested with {@link #VERSION}) against a Responses
 * endpoint: writes a {@code CODEX_HOME} whose {@code config.toml} defines a custom provider
 * ({@code base_url}, {@code wire_api = "responses"}, {@code env_key}, optionally
 * {@code supports_websockets = true}) with update checks, analytics, feedback, OpenTelemetry and the
 * plugin / apps features off, so the CLI connects to nothing but the base URL. Each run reads stdin from
 * /dev/null, has a timeout and returns the exit code, stdout and stderr. See
 * {@code src/test/resources/codex-cli/README.md}.
 */
public final class CodexCli {
  /** The version this was written and checked against ({@code npm install -g @openai/codex@0.171.0}). */
  public static final String VERSION = "0.171.0";
  /** The model in config.toml; the mock answers it normally. */
  public static final String DEFAULT_MODEL = "gpt-mock";

  /** What one run produced. */
  public record Result(int exitCode, String stdout, String stderr, Duration took) {
    public boolean timedOut() {
      return exitCode == -1;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + " after " + took.toMillis() + " ms\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /**
   * Extra {@code exec} arguments that turn the CLI's own retries off (by default it retries an HTTP error
   * 4 times per attempt and a failed stream 5 times, honouring retry-after: a 429 with retry-after 20 then
   * takes minutes). Put them before the prompt.
   */
  public static final List<String> NO_RETRIES = List.of("-c", "model_providers.relay.request_max_retries=0",
      "-c", "model_providers.relay.stream_max_retries=0");

  private final Path home;
  private final Path workDir;
  private final String keyEnv;
  private final String key;

  /**
   * Prepares {@code dir/codex-home} (the CODEX_HOME) and {@code dir/work} (the working directory).
   *
   * @param baseUrl the provider's base URL, e.g. {@code http://127.0.0.1:PORT/v1} (the CLI appends
   *     {@code /responses})
   * @param keyEnv the environment variable the provider's {@code env_key} names; the run sets it to key
   * @param webSocket whether the provider declares {@code supports_websockets = true}
   */
  public CodexCli(Path dir, String baseUrl, String keyEnv, String key, boolean webSocket) throws IOException {
    this.home = Files.createDirectories(dir.resolve("codex-home"));
    this.workDir = Files.createDirectories(dir.resolve("work"));
    this.keyEnv = keyEnv;
    this.key = key;
    Files.writeString(home.resolve("config.toml"), config(baseUrl, keyEnv, webSocket), StandardCharsets.UTF_8);
  }

  /**
   * A CLI whose provider says {@code requires_openai_auth = true} instead of {@code env_key}: the key is
   * stored by the CLI's own {@code codex login --with-api-key} (read from stdin) in {@code auth.json}, the
   * README's second way of giving Codex the relay key.
   */
  public static CodexCli loggedIn(Path dir, String baseUrl, String key) throws IOException, InterruptedException {
    CodexCli cli = new CodexCli(dir, baseUrl, null, key, false);
    Result login = cli.run(Duration.ofSeconds(30), List.of("login", "--with-api-key"), key + "\n");
    if (login.exitCode() != 0) {
      throw new IllegalStateException("codex login --with-api-key failed: " + login);
    }
    return cli;
  }

  /**
   * The config.toml this helper writes; with keyEnv null the provider takes its key from the CLI's
   * {@code auth.json} ({@code requires_openai_auth = true}).
   */
  public static String config(String baseUrl, String keyEnv, boolean webSocket) {
    return String.join("\n",
        "model = \"" + DEFAULT_MODEL + "\"",
        "model_provider = \"relay\"",
        "check_for_update_on_startup = false",
        "",
        "[model_providers.relay]",
        "name = \"Relay\"",
        "base_url = \"" + baseUrl + "\"",
        "wire_api = \"responses\"",
        keyEnv == null ? "requires_openai_auth = true" : "env_key = \"" + keyEnv + "\"",
        "supports_websockets = " + webSocket,
        "",
        "[analytics]",
        "enabled = false",
        "",
        "[feedback]",
        "enabled = false",
        "",
        "[otel]",
        "exporter = \"none\"",
        "",
        "# Without these the CLI looks up github.com, api.github.com and chatgpt.com (plugin and apps sync).",
        "[features]",
        "plugins = false",
        "remote_plugin = false",
        "apps = false",
        "");
  }

  public Path home() {
    return home;
  }

  public Path workDir() {
    return workDir;
  }

  /** The codex executable on PATH (or the {@code CODEX_BIN} environment variable), or null. */
  public static Path binary() {
    String explicit = System.getenv("CODEX_BIN");
    if (explicit != null && Files.isExecutable(Path.of(explicit))) {
      return Path.of(explicit);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "codex");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Skips the calling test when no codex binary is installed (CI installs it). */
  public static void assumeInstalled() {
    if (System.getenv("CI") != null) {
      // CI installs the CLI (.ci/run): there a missing binary is a failure, not a reason to skip.
      org.junit.jupiter.api.Assertions.assertNotNull(binary(), "the codex CLI is not installed; .ci/run installs it");
      return;
    }
    Assumptions.assumeTrue(binary() != null, "the codex CLI is not installed (npm install -g @openai/codex@"
        + VERSION + ")");
  }

  /** Runs {@code codex exec --skip-git-repo-check <args…>} with a two-minute timeout. */
  public Result exec(String... args) throws IOException, InterruptedException {
    return exec(Duration.ofMinutes(2), args);
  }

  public Result exec(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("exec", "--skip-git-repo-check"));
    command.addAll(List.of(args));
    return run(timeout, command);
  }

  /** Runs {@code codex <args…>} (no {@code exec} added) in the work directory. */
  public Result run(Duration timeout, List<String> args) throws IOException, InterruptedException {
    return run(timeout, args, null);
  }

  /** Runs {@code codex <args…>} with stdin from the given text (null: from /dev/null). */
  public Result run(Duration timeout, List<String> args, String stdin) throws IOException, InterruptedException {
    Path bin = binary();
    if (bin == null) {
      throw new IllegalStateException("codex is not installed");
    }
    List<String> command = new ArrayList<>();
    command.add(bin.toString());
    command.addAll(args);
    Path out = Files.createTempFile(home, "stdout", ".txt");
    Path err = Files.createTempFile(home, "stderr", ".txt");
    File input = new File("/dev/null");
    if (stdin != null) {
      input = Files.writeString(Files.createTempFile(home, "stdin", ".txt"), stdin, StandardCharsets.UTF_8).toFile();
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(input))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CODEX_") || k.startsWith("OPENAI_"));
    env.put("CODEX_HOME", home.toString());
    if (keyEnv != null) {
      env.put(keyEnv, key);
    }
    env.put("NO_COLOR", "1");
    long start = System.nanoTime();
    Process p = pb.start();
    int exit;
    if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      exit = p.exitValue();
    } else {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      exit = -1;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Result(exit, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
        took);
  }
}
