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
 * Runs the real Gemini CLI ({@code gemini -p}, tested with {@link #VERSION}) against a Gemini endpoint, with a
 * temporary HOME whose {@code ~/.gemini/settings.json} turns telemetry, usage statistics and update checks
 * off, and {@code GEMINI_CLI_TRUST_WORKSPACE=true}. Two modes:
 * <ul>
 *   <li>{@link Mode#API_KEY}: {@code GEMINI_API_KEY} and {@code GOOGLE_GEMINI_BASE_URL} (the CLI appends
 *       {@code /v1beta/models/…}); settings {@code security.auth.selectedType = "gemini-api-key"} is required
 *       (without it 0.61 maps the base URL to the "gateway" auth type and exits 41 "Invalid auth method
 *       selected.").</li>
 *   <li>{@link Mode#CODE_ASSIST}: {@code GOOGLE_GENAI_USE_GCA=true}, {@code GOOGLE_CLOUD_ACCESS_TOKEN} (sent as
 *       {@code Authorization: Bearer}, no OAuth flow, no refresh) and {@code CODE_ASSIST_ENDPOINT} (the CLI
 *       appends {@code /v1internal:…}); settings {@code selectedType = "oauth-personal"} (leaving it out works
 *       too, as the env selects Login with Google; {@code "gemini-api-key"} there makes the CLI exit 41). It
 *       calls loadCodeAssist (and onboardUser plus operation polls 5 s apart when there is no current tier),
 *       retrieveUserQuota, listExperiments, then the model; one lookup of www.googleapis.com userinfo fails
 *       harmlessly.</li>
 * </ul>
 * Every GEMINI_* / GOOGLE_* / CODE_ASSIST_* variable of the calling environment is removed first. Each run
 * reads stdin from /dev/null, has a timeout (the process tree is killed when it passes) and returns the exit
 * code, stdout and stderr.
 */
public final class GeminiCli {
  /** The version this was written and checked against ({@code npm install -g @google/gemini-cli@0.61.0}). */
  public static final String VERSION = "0.61.0";

  /** How the CLI authenticates. */
  public enum Mode { API_KEY, CODE_ASSIST }

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
  private final Mode mode;
  private final String baseUrl;
  private final String credential;

  /**
   * Prepares {@code dir/home} (HOME, with {@code .gemini/settings.json}) and {@code dir/work} (the working
   * directory).
   *
   * @param baseUrl the endpoint without a path, e.g. {@code http://127.0.0.1:PORT} (or a relay's prefix)
   * @param credential the API key (API_KEY) or the access token (CODE_ASSIST)
   */
  public GeminiCli(Path dir, Mode mode, String baseUrl, String credential) throws IOException {
    this.home = Files.createDirectories(dir.resolve("home"));
    this.workDir = Files.createDirectories(dir.resolve("work"));
    this.mode = mode;
    this.baseUrl = baseUrl;
    this.credential = credential;
    Path gemini = Files.createDirectories(home.resolve(".gemini"));
    Files.writeString(gemini.resolve("settings.json"), settings(mode), StandardCharsets.UTF_8);
  }

  /** The settings.json this helper writes for a mode. */
  public static String settings(Mode mode) {
    String selected = mode == Mode.API_KEY ? "gemini-api-key" : "oauth-personal";
    return String.join("\n",
        "{",
        "  \"security\": { \"auth\": { \"selectedType\": \"" + selected + "\" } },",
        "  \"privacy\": { \"usageStatisticsEnabled\": false },",
        "  \"telemetry\": { \"enabled\": false },",
        "  \"general\": { \"enableAutoUpdate\": false, \"enableAutoUpdateNotification\": false }",
        "}",
        "");
  }

  /** The environment variables a run sets for a mode (besides HOME, PATH and NO_COLOR). */
  public static Map<String, String> environment(Mode mode, String baseUrl, String credential) {
    return mode == Mode.API_KEY
        ? Map.of("GEMINI_API_KEY", credential, "GOOGLE_GEMINI_BASE_URL", baseUrl, "GEMINI_CLI_TRUST_WORKSPACE", "true")
        : Map.of("GOOGLE_GENAI_USE_GCA", "true", "GOOGLE_CLOUD_ACCESS_TOKEN", credential,
            "CODE_ASSIST_ENDPOINT", baseUrl, "GEMINI_CLI_TRUST_WORKSPACE", "true");
  }

  public Path home() {
    return home;
  }

  public Path workDir() {
    return workDir;
  }

  /** The gemini executable on PATH (or the {@code GEMINI_BIN} environment variable), or null. */
  public static Path binary() {
    String explicit = System.getenv("GEMINI_BIN");
    if (explicit != null && Files.isExecutable(Path.of(explicit))) {
      return Path.of(explicit);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "gemini");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Skips the calling test when no gemini binary is installed; in CI (CI set) fails instead. */
  public static void assumeInstalled() {
    if (System.getenv("CI") != null) {
      // CI installs the CLI (.ci/run): there a missing binary is a failure, not a reason to skip.
      org.junit.jupiter.api.Assertions.assertNotNull(binary(), "the gemini CLI is not installed; .ci/run installs it");
      return;
    }
    Assumptions.assumeTrue(binary() != null, "the gemini CLI is not installed (npm install -g @google/gemini-cli@"
        + VERSION + ")");
  }

  /**
   * Runs {@code gemini -p <prompt> [-m model] [--yolo] [-o json]} with a two-minute timeout.
   *
   * @param model null for the CLI's default (which makes it call its router classifier first)
   */
  public Result prompt(String prompt, String model, boolean yolo, boolean json) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-p", prompt));
    if (model != null) {
      args.addAll(List.of("-m", model));
    }
    if (yolo) {
      args.add("--yolo");
    }
    if (json) {
      args.addAll(List.of("-o", "json"));
    }
    return run(Duration.ofMinutes(2), args);
  }

  /** Runs {@code gemini <args…>} in the work directory. */
  public Result run(Duration timeout, List<String> args) throws IOException, InterruptedException {
    Path bin = binary();
    if (bin == null) {
      throw new IllegalStateException("gemini is not installed");
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
      return u.startsWith("GEMINI_") || u.startsWith("GOOGLE_") || u.startsWith("CODE_ASSIST_")
          || u.equals("CLOUD_SHELL");
    });
    env.put("HOME", home.toString());
    env.putAll(environment(mode, baseUrl, credential));
    env.put("NO_COLOR", "1");
    env.put("NO_PROXY", "127.0.0.1,localhost");
    env.put("no_proxy", "127.0.0.1,localhost");
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
