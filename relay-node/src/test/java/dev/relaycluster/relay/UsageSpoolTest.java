package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's files: what a reopened spool finds, deletion of landed files, rotation, a torn tail, back-off. */
class UsageSpoolTest {
  @TempDir
  Path dir;

  private static SpooledUsage item(String id) {
    return new SpooledUsage(id, UsageSpoolFormatTest.record(id), 1_000);
  }

  /** The spool's files (its lock file aside). */
  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".spool")).sorted().toList();
    }
  }

  private static List<String> ids(List<SpooledUsage> items) {
    return items.stream().map(SpooledUsage::requestId).toList();
  }

  @Test
  void aReopenedSpoolHasTheRecordsThatDidNotLandOldestFirst() throws IOException {
    try (UsageSpool spool = new UsageSpool(dir, 1 << 20)) {
      assertEquals(List.of(), spool.open());
      spool.append(List.of(item("a"), item("b")));
      spool.append(List.of(item("c")));
      spool.landed(List.of("b"));
      assertEquals(2, spool.waiting());
    }
    try (UsageSpool again = new UsageSpool(dir, 1 << 20)) {
      assertEquals(List.of(item("a"), item("c")), again.open(), "whole records, in the order they were kept");
    }
  }

  @Test
  void aFileWhoseRecordsAllLandedIsDeleted() throws IOException {
    try (UsageSpool spool = new UsageSpool(dir, 1 << 20)) {
      spool.open();
      spool.append(List.of(item("a"), item("b")));
      assertEquals(1, files().size());
      spool.landed(List.of("a"));
      assertEquals(1, files().size());
      spool.landed(List.of("b", "unknown"));
      assertEquals(List.of(), files());
      assertEquals(0, spool.waiting());
      // The next record starts a new file.
      spool.append(List.of(item("c")));
      assertEquals(1, files().size());
    }
    try (UsageSpool again = new UsageSpool(dir, 1 << 20)) {
      assertEquals(List.of("c"), ids(again.open()));
    }
  }

  @Test
  void aFullFileTakesNoMoreRecordsAndIsDeletedAloneOnceItsRecordsLanded() throws IOException {
    try (UsageSpool spool = new UsageSpool(dir, 100)) {
      spool.open();
      spool.append(List.of(item("a")));
      spool.append(List.of(item("b")));
      spool.append(List.of(item("c")));
      assertEquals(3, files().size(), "each record line is past 100 bytes, so each append starts a file");
      spool.landed(List.of("b"));
      assertEquals(2, files().size());
      assertEquals(2, spool.files());
    }
    try (UsageSpool again = new UsageSpool(dir, 100)) {
      assertEquals(List.of("a", "c"), ids(again.open()));
    }
  }

  @Test
  void aTornLastLineIsCutOffSoLinesWrittenAfterTheRestartReadClean() throws IOException {
    try (UsageSpool spool = new UsageSpool(dir, 1 << 20)) {
      spool.open();
      spool.append(List.of(item("a"), item("b")));
    }
    Path file = files().get(0);
    long clean = Files.size(file);
    // A crash while a third record was written.
    byte[] third = UsageSpoolFormat.waiting(item("c"));
    Files.write(file, java.util.Arrays.copyOf(third, third.length / 2), StandardOpenOption.APPEND);

    try (UsageSpool spool = new UsageSpool(dir, 1 << 20)) {
      assertEquals(List.of("a", "b"), ids(spool.open()));
      assertEquals(clean, Files.size(file), "the torn bytes are gone");
      spool.landed(List.of("a"));
    }
    UsageSpoolFormat.Contents contents = UsageSpoolFormat.read(Files.readAllBytes(file));
    assertEquals(0, contents.corrupt(), "the landed line did not run into the torn one");
    assertTrue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).endsWith("\n"));
    try (UsageSpool spool = new UsageSpool(dir, 1 << 20)) {
      assertEquals(List.of("b"), ids(spool.open()));
    }
  }

  @Test
  void aCorruptLineLosesOnlyItself() throws IOException {
    try (UsageSpool spool = new UsageSpool(dir, 1 << 20)) {
      spool.open();
      spool.append(List.of(item("a"), item("b"), item("c")));
    }
    Path file = files().get(0);
    byte[] bytes = Files.readAllBytes(file);
    int second = new String(bytes, StandardCharsets.UTF_8).indexOf("\"requestId\":\"b\"");
    bytes[second + 13] = 'x';
    Files.write(file, bytes);
    try (UsageSpool spool = new UsageSpool(dir, 1 << 20)) {
      assertEquals(List.of("a", "c"), ids(spool.open()));
    }
  }

  @Test
  void aDirectoryIsUsedByOneSpoolAtATime() throws IOException {
    try (UsageSpool first = new UsageSpool(dir, 1 << 20)) {
      first.open();
      first.append(List.of(item("a")));
      UsageSpool second = new UsageSpool(dir, 1 << 20);
      IOException refused = assertThrows(IOException.class, second::open);
      assertTrue(refused.getMessage().contains("in use by another node"));
    }
    try (UsageSpool next = new UsageSpool(dir, 1 << 20)) {
      assertEquals(List.of("a"), ids(next.open()), "once the first is closed the directory is free");
    }
  }

  @Test
  void backOffDoublesFromTheFirstWaitUpToTheLongest() {
    Duration first = Duration.ofSeconds(1);
    Duration max = Duration.ofMinutes(1);
    assertEquals(Duration.ofSeconds(1), UsageRedelivery.backoff(0, first, max));
    assertEquals(Duration.ofSeconds(2), UsageRedelivery.backoff(1, first, max));
    assertEquals(Duration.ofSeconds(32), UsageRedelivery.backoff(5, first, max));
    assertEquals(max, UsageRedelivery.backoff(6, first, max));
    assertEquals(max, UsageRedelivery.backoff(10_000, first, max));
  }
}
