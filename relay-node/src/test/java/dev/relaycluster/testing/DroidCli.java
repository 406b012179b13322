package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Runs the real Droid CLI ({@code droid exec}, Factory's agent, tested with {@link #VERSION}) against a relay
 * with a custom model, in a private HOME ({@code dir/home}, where {@code .factory/config.json} names the model)
 * and working directory ({@code dir/work}). Checked on 0.225.2: with a custom model and no Factory login or
 * {@code FACTORY_API_KEY}, {@code droid exec} runs and sends its model calls to the custom model's
 * {@code base_url} only (Anthropic provider: {@code {base_url}/v1/messages} with the key as {@code x-api-key},
 * streamed, its own {@code user-agent: factory-cli/<version>}); its shell tool is {@code Execute}, which in the
 * default (read-only) autonomy runs {@code echo}. Each run reads stdin from /dev/null and has a timeout (the
 * process tree is killed when it passes). The binary: {@code DROID_BIN}, else {@code droid} on PATH
 * ({@code npm install -g @factory/cli}; the npm package fetches a platform binary, {@code @factory/cli-linux-x64}).
 */
public final class DroidCli {
  public static final String VERSION = "0.225.2";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one run produced. */
  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private final Path home;
  private final Path workDir;

  /**
   * Prepares HOME with one custom model: {@code model} through {@code provider} ("anthropic", "openai" or
   * "generic-chat-completion-api") at {@code baseUrl} with the relay key {@code apiKey}.
   */
  public DroidCli(Path dir, String baseUrl, String apiKey, String model, String provider) throws IOException {
    this.home = Files.createDirectories(dir.resolve("home"));
    this.workDir = Files.createDirectories(dir.resolve("work"));
    ObjectNode config = JSON.createObjectNode();
    config.putArray("custom_models").addObject().put("model_display_name", "Relay " + model).put("model", model)
        .put("base_url", baseUrl).put("api_key", apiKey).put("provider", provider).put("max_tokens", 4096);
    Files.createDirectories(home.resolve(".factory"));
    Files.writeString(home.resolve(".factory/config.json"), config.toString());
  }

  /** The droid executable ({@code DROID_BIN}, else on PATH), or null. */
  public static Path binary() {
    String explicit = System.getenv("DROID_BIN");
    if (explicit != null && Files.isExecutable(Path.of(explicit))) {
      return Path.of(explicit);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "droid");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Skips the calling test when no droid binary is installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(binary() != null, "the Droid CLI is not installed (npm install -g @factory/cli@" + VERSION
        + ", or set DROID_BIN to its binary)");
  }

  /** Runs {@code droid exec -m custom:<model> -o json <prompt>} with a two-minute timeout. */
  public Result exec(String model, String prompt) throws IOException, InterruptedException {
    Path bin = binary();
    if (bin == null) {
      throw new IllegalStateException("droid is not installed");
    }
    List<String> command = new ArrayList<>(List.of(bin.toString(), "exec", "-m", "custom:" + model, "-o", "json",
        prompt));
    Path out = Files.createTempFile(home, "stdout", ".txt");
    Path err = Files.createTempFile(home, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> {
      String u = k.toUpperCase(Locale.ROOT);
      return u.startsWith("FACTORY_") || u.startsWith("ANTHROPIC_") || u.startsWith("OPENAI_");
    });
    env.put("HOME", home.toString());
    env.put("NO_COLOR", "1");
    env.put("NO_PROXY", "127.0.0.1,localhost");
    env.put("no_proxy", "127.0.0.1,localhost");
    Process p = pb.start();
    int exit;
    if (p.waitFor(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS)) {
      exit = p.exitValue();
    } else {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      exit = -1;
    }
    return new Result(exit, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
