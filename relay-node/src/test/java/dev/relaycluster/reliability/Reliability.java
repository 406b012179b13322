package dev.relaycluster.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where the reliability suite leaves the figures of its run: one Markdown section per test in
 * {@code relay-node/target/reliability/}, which {@code bench/reliability.sh} puts together into RELIABILITY.md.
 */
public final class Reliability {
  /** The folder, relative to the module (surefire runs tests in relay-node/). */
  public static final Path DIR = Path.of("target", "reliability");

  private Reliability() {}

  /** Writes section {@code name} ("faults", "fuzz", …) with a title and a Markdown body. */
  public static void write(String name, String title, String markdown) {
    try {
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(name + ".md"), "## " + title + "\n\n" + markdown.strip() + "\n\n_Run "
          + Instant.now() + "._\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
