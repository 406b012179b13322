package dev.relaycluster.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real Claude Code CLI ({@code claude -p}, print mode, tested with {@link #VERSION}) against an
 * Anthropic Messages endpoint with an API key, in a private HOME ({@code dir/home}, where the CLI writes
 * its {@code .claude.json} and {@code .claude/}) and working directory ({@code dir/work}).
 *
 * <p>Environment: every {@code ANTHROPIC_*} and {@code CLAUDE*} variable of the calling environment is
 * removed, then {@code ANTHROPIC_BASE_URL} (the CLI appends {@code /v1/messages?beta=true}),
 * {@code ANTHROPIC_API_KEY} (sent as {@code x-api-key}; in print mode no approval prompt), and telemetry,
 * error reporting, the auto-updater and all non-essential traffic off. Checked with strace on 2.1.332: a
 * prompt then connects to nothing but the base URL, and print mode makes one Messages call per model turn
 * (no title or topic side calls to a small model, no count_tokens).
 *
 * <p>Tools: {@code --dangerously-skip-permissions} (and {@code --permission-mode bypassPermissions}) refuse
 * to run as root ("cannot be used with root/sudo privileges"), which CI is; {@code --allowedTools Bash}
 * lets the Bash tool run without a prompt as any user, so {@link #prompt} uses that.
 * Each run reads stdin from /dev/null, has a timeout (the process tree is killed when it passes) and
 * returns the exit code, stdout and stderr.
 */
public final class ClaudeCli {
  /** The version this was written and checked against ({@code npm install -g @anthropic-ai/claude-code@2.1.332}). */
  public static final String VERSION = "2.1.332";
  /** The model the tests pin with {@code --model} (the CLI's default in 2.1.332 is claude-opus-5-5). */
  public static final String MODEL = "claude-sonnet-4-5";

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

  private final Path home;
  private final Path workDir;
  private final String baseUrl;
  private final String apiKey;

  /**
   * Prepares {@code dir/home} (HOME) and {@code dir/work} (the working directory).
   *
   * @param baseUrl the endpoint without {@code /v1}, e.g. {@code http://127.0.0.1:PORT} or a relay's
   *     {@code http://host:port/api}
   */
  public ClaudeCli(Path dir, String baseUrl, String apiKey) throws IOException {
    this.home = Files.createDirectories(dir.resolve("home"));
    this.workDir = Files.createDirectories(dir.resolve("work"));
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  /** The environment variables a run sets (besides HOME and PATH). */
  public static Map<String, String> environment(String baseUrl, String apiKey) {
    return Map.ofEntries(
        Map.entry("ANTHROPIC_BASE_URL", baseUrl),
        Map.entry("ANTHROPIC_API_KEY", apiKey),
        Map.entry("DISABLE_TELEMETRY", "1"),
        Map.entry("DISABLE_ERROR_REPORTING", "1"),
        Map.entry("DISABLE_AUTOUPDATER", "1"),
        Map.entry("DISABLE_BUG_COMMAND", "1"),
        Map.entry("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
        Map.entry("NO_COLOR", "1"),
        Map.entry("NO_PROXY", "127.0.0.1,localhost"),
        Map.entry("no_proxy", "127.0.0.1,localhost"));
  }

  public Path home() {
    return home;
  }

  public Path workDir() {
    return workDir;
  }

  /** The claude executable on PATH (or the {@code CLAUDE_BIN} environment variable), or null. */
  public static Path binary() {
    String explicit = System.getenv("CLAUDE_BIN");
    if (explicit != null && Files.isExecutable(Path.of(explicit))) {
      return Path.of(explicit);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "claude");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Skips the calling test when no claude binary is installed; in CI (CI set) fails instead. */
  public static void assumeInstalled() {
    if (System.getenv("CI") != null) {
      // CI installs the CLI (.ci/run): there a missing binary is a failure, not a reason to skip.
      org.junit.jupiter.api.Assertions.assertNotNull(binary(), "the claude CLI is not installed; .ci/run installs it");
      return;
    }
    Assumptions.assumeTrue(binary() != null, "the claude CLI is not installed (npm install -g @anthropic-ai/claude-code@"
        + VERSION + ")");
  }

  /**
   * Runs {@code claude -p <prompt> --model <model> [--allowedTools Bash] [--output-format json]} with a
   * two-minute timeout.
   *
   * @param model null for the CLI's default
   * @param bash whether the Bash tool may run without asking
   * @param json {@code --output-format json}: one JSON object with {@code result}, {@code usage},
   *     {@code num_turns}, {@code is_error}, {@code session_id}
   */
  public Result prompt(String prompt, String model, boolean bash, boolean json) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-p", prompt));
    if (model != null) {
      args.addAll(List.of("--model", model));
    }
    if (bash) {
      args.addAll(List.of("--allowedTools", "Bash"));
    }
    if (json) {
      args.addAll(List.of("--output-format", "json"));
    }
    return run(Duration.ofMinutes(2), args);
  }

  /** Runs {@code claude <args…>} in the work directory. */
  public Result run(Duration timeout, List<String> args) throws IOException, InterruptedException {
    Path bin = binary();
    if (bin == null) {
      throw new IllegalStateException("claude is not installed");
    }
    List<String> command = new ArrayList<>();
    command.add(bin.toString());
    command.addAll(args);
    Path out = Files.createTempFile(home, "stdout", ".txt");
    Path err = Files.createTempFile(home, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> {
      String u = k.toUpperCase(Locale.ROOT);
      return u.startsWith("ANTHROPIC_") || u.startsWith("CLAUDE") || u.startsWith("AWS_") || u.startsWith("VERTEX_")
          || u.startsWith("CLOUD_ML_") || u.equals("IS_SANDBOX");
    });
    env.put("HOME", home.toString());
    env.putAll(environment(baseUrl, apiKey));
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
