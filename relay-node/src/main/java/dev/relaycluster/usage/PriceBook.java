package dev.relaycluster.usage;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.pricing.PriceTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's current price table: the bundled LiteLLM table, with the operator's override file (same
 * format) merged over it when one is configured. {@link #reloadIfChanged()} re-reads the file when its
 * modification time or size changed; a file that cannot be read or parsed keeps the previous table and
 * logs why. Each table's {@link PriceTable#version()} is recorded with every usage event it priced.
 */
public final class PriceBook {
  private static final Logger log = LoggerFactory.getLogger(PriceBook.class);

  private final PriceTable bundled;
  private final Path overrideFile;
  private final String fallbackModel;
  private final AtomicReference<PriceTable> current;
  private volatile FileTime seenModified;
  private volatile long seenSize = -1;

  private PriceBook(PriceTable bundled, Path overrideFile, String fallbackModel) {
    this.bundled = bundled;
    this.overrideFile = overrideFile;
    this.fallbackModel = fallbackModel;
    this.current = new AtomicReference<>(bundled);
  }

  /**
   * The book for the settings; a configured override file must be readable and valid at start-up.
   *
   * @throws IllegalStateException when the override file cannot be read or parsed
   */
  public static PriceBook load(RelaySettings.Pricing settings) {
    Path file = settings.file().isBlank() ? null : Path.of(settings.file()).toAbsolutePath();
    PriceBook book = new PriceBook(PriceTable.bundled(), file, settings.fallbackModel());
    if (file != null) {
      String problem = book.reloadIfChanged();
      if (problem != null) {
        throw new IllegalStateException("price override file " + file + ": " + problem);
      }
    }
    return book;
  }

  /** A book with a fixed table (tests, tools). */
  public static PriceBook fixed(PriceTable table, String fallbackModel) {
    return new PriceBook(table, null, fallbackModel);
  }

  public PriceTable current() {
    return current.get();
  }

  public String fallbackModel() {
    return fallbackModel;
  }

  /** The override file, or null when only the bundled table is used. */
  public Path overrideFile() {
    return overrideFile;
  }

  /**
   * Re-reads the override file if it changed since the last look.
   *
   * @return null when the table is current (reloaded or unchanged), else why the file was not taken
   */
  public synchronized String reloadIfChanged() {
    if (overrideFile == null) {
      return null;
    }
    try {
      FileTime modified = Files.getLastModifiedTime(overrideFile);
      long size = Files.size(overrideFile);
      if (modified.equals(seenModified) && size == seenSize) {
        return null;
      }
      byte[] bytes = Files.readAllBytes(overrideFile);
      seenModified = modified;
      seenSize = size;
      PriceTable table = bundled.overriddenBy(PriceTable.parse(bytes));
      PriceTable before = current.getAndSet(table);
      if (!before.version().equals(table.version())) {
        log.info("price table {} loaded from {} over the bundled table ({} models)", table.version(), overrideFile,
            table.size());
      }
      return null;
    } catch (IOException | IllegalArgumentException e) {
      String problem = e instanceof IOException ? "cannot be read: " + e : e.getMessage();
      log.error("price override file {} {}; keeping the price table {}", overrideFile, problem,
          current.get().version());
      return problem;
    }
  }
}
