package dev.relaycluster.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's usage spool: usage records that could not be settled on their key's entity, kept in
 * append-only files in one directory of the data directory until they land. Lines are those of
 * {@link UsageSpoolFormat}.
 *
 * <p>Records are appended to the newest file (a <em>segment</em>, {@code usage-<millis>-<n>.spool}); a
 * segment past {@code segmentBytes} is closed to new records and a new one started. When a record lands
 * its {@code L} line is appended to the segment that holds it, and a segment whose records have all
 * landed is deleted, so the spool stays as small as its backlog.
 *
 * <p>Durability: {@link #append} writes its records and forces them to the device (one fsync for the
 * whole batch) before it returns, and a new segment's directory entry is forced too, so a record the
 * spool took survives a crash of the process or the machine. {@code L} lines are written without a
 * fsync: losing one only means the record is sent again after a restart, which its request id makes
 * harmless. At {@link #open}, a torn last line (a crash mid-write) is cut off and corrupt lines are
 * skipped. An open spool holds a lock on {@code spool.lock} in its directory: a second node pointed at
 * the same directory fails to start instead of sharing it.
 *
 * <p>Not thread-safe: one writer at a time (the {@link UsageRedelivery} calls it from one task at once).
 */
public final class UsageSpool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UsageSpool.class);
  private static final String PREFIX = "usage-";
  private static final String SUFFIX = ".spool";
  private static final String LOCK = "spool.lock";

  private final Path dir;
  private final long segmentBytes;
  /** Every segment on disk, by file name (oldest first). */
  private final TreeMap<String, Segment> segments = new TreeMap<>();
  /** The segment holding each waiting record. */
  private final Map<String, Segment> segmentOf = new HashMap<>();
  /** The segment new records go to; null until the next append. */
  private Segment active;
  private int sequence;
  /** Held while the spool is open, so no second node on this machine uses the same directory. */
  private FileChannel lockFile;
  private FileLock lock;

  /** One file: its channel (opened on first write), its size and how many of its records wait. */
  private static final class Segment {
    final Path path;
    FileChannel channel;
    long size;
    int waiting;

    Segment(Path path, long size) {
      this.path = path;
      this.size = size;
    }

    FileChannel channel() throws IOException {
      if (channel == null) {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.position(size);
      }
      return channel;
    }
  }

  public UsageSpool(Path dir, long segmentBytes) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Reads the spool left by earlier runs: the records still waiting, oldest first. Segments whose records
   * all landed are deleted; a torn last line is cut off so later lines start clean.
   */
  public List<SpooledUsage> open() throws IOException {
    Files.createDirectories(dir);
    lock();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      found.forEach(files::add);
    }
    files.sort(null);
    Map<String, SpooledUsage> waiting = new LinkedHashMap<>();
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      UsageSpoolFormat.Contents contents = UsageSpoolFormat.read(bytes);
      if (contents.torn(bytes.length)) {
        log.warn("usage spool {}: cutting off a torn last line ({} bytes) left by a crash", file.getFileName(),
            bytes.length - contents.completeBytes());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(contents.completeBytes());
          ch.force(false);
        }
      }
      if (contents.corrupt() > 0) {
        log.warn("usage spool {}: skipped {} corrupt lines", file.getFileName(), contents.corrupt());
      }
      Segment segment = new Segment(file, contents.completeBytes());
      segments.put(file.getFileName().toString(), segment);
      for (UsageSpoolFormat.Line line : contents.lines()) {
        if (line.waiting() != null) {
          String id = line.waiting().requestId();
          if (!segmentOf.containsKey(id)) {
            waiting.put(id, line.waiting());
            segmentOf.put(id, segment);
            segment.waiting++;
          }
        } else {
          waiting.remove(line.landed());
          Segment holder = segmentOf.remove(line.landed());
          if (holder != null) {
            holder.waiting--;
          }
        }
      }
    }
    for (Segment segment : List.copyOf(segments.values())) {
      if (segment.waiting == 0) {
        delete(segment);
      }
    }
    return List.copyOf(waiting.values());
  }

  /** Appends records and forces them to the device before returning. */
  public void append(Collection<SpooledUsage> items) throws IOException {
    if (items.isEmpty()) {
      return;
    }
    if (active == null || active.size >= segmentBytes) {
      active = newSegment();
    }
    Segment target = active;
    List<byte[]> lines = new ArrayList<>(items.size());
    int bytes = 0;
    for (SpooledUsage item : items) {
      byte[] line = UsageSpoolFormat.waiting(item);
      lines.add(line);
      bytes += line.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    lines.forEach(buffer::put);
    buffer.flip();
    FileChannel channel = target.channel();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      abandonTail(target);
      throw e;
    }
    target.size += bytes;
    for (SpooledUsage item : items) {
      Segment previous = segmentOf.put(item.requestId(), target);
      if (previous != null) {
        previous.waiting--;
      }
      target.waiting++;
    }
  }

  /** Notes that these records landed; a segment with nothing left waiting is deleted. */
  public void landed(Collection<String> requestIds) throws IOException {
    Map<Segment, List<String>> bySegment = new LinkedHashMap<>();
    for (String id : requestIds) {
      Segment segment = segmentOf.remove(id);
      if (segment != null) {
        bySegment.computeIfAbsent(segment, s -> new ArrayList<>()).add(id);
      }
    }
    IOException failed = null;
    for (Map.Entry<Segment, List<String>> e : bySegment.entrySet()) {
      Segment segment = e.getKey();
      segment.waiting -= e.getValue().size();
      if (segment.waiting <= 0) {
        delete(segment);
        continue;
      }
      try {
        for (String id : e.getValue()) {
          ByteBuffer line = ByteBuffer.wrap(UsageSpoolFormat.landed(id));
          while (line.hasRemaining()) {
            segment.size += segment.channel().write(line);
          }
        }
      } catch (IOException io) {
        abandonTail(segment);
        failed = io;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** Records on disk still waiting to land. */
  public int waiting() {
    return segmentOf.size();
  }

  /** Segment files on disk. */
  public int files() {
    return segments.size();
  }

  @Override
  public void close() {
    for (Segment segment : segments.values()) {
      closeChannel(segment);
    }
    if (lockFile != null) {
      try {
        lockFile.close(); // releases the lock
      } catch (IOException e) {
        log.debug("usage spool: closing its lock failed: {}", e.toString());
      }
      lockFile = null;
      lock = null;
    }
  }

  private void lock() throws IOException {
    if (lock != null) {
      return;
    }
    FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock taken;
    try {
      taken = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      taken = null;
    }
    if (taken == null) {
      channel.close();
      throw new IOException("the usage spool " + dir + " is in use by another node; give each node its own "
          + "data directory (relay.data-dir) or spool directory (relay.usage.spool.dir)");
    }
    lockFile = channel;
    lock = taken;
  }

  private Segment newSegment() throws IOException {
    Files.createDirectories(dir);
    Path path;
    do {
      path = dir.resolve(String.format(Locale.ROOT, "%s%013d-%06d%s", PREFIX, System.currentTimeMillis(),
          sequence++, SUFFIX));
    } while (Files.exists(path));
    Segment segment = new Segment(path, 0);
    segment.channel();
    forceDirectory();
    segments.put(path.getFileName().toString(), segment);
    return segment;
  }

  /**
   * After a failed write the file may end in part of a line: cut it back to its last whole line, or, if
   * even that fails, take no more records into it.
   */
  private void abandonTail(Segment segment) {
    try {
      segment.channel().truncate(segment.size);
      segment.channel().position(segment.size);
    } catch (IOException e) {
      if (segment == active) {
        active = null;
      }
    }
  }

  private void delete(Segment segment) {
    closeChannel(segment);
    segments.remove(segment.path.getFileName().toString());
    if (segment == active) {
      active = null;
    }
    try {
      Files.deleteIfExists(segment.path);
    } catch (IOException e) {
      log.warn("usage spool: could not delete {}: {}", segment.path.getFileName(), e.toString());
    }
  }

  private static void closeChannel(Segment segment) {
    if (segment.channel != null) {
      try {
        segment.channel.close();
      } catch (IOException e) {
        log.debug("usage spool: closing {} failed: {}", segment.path.getFileName(), e.toString());
      }
      segment.channel = null;
    }
  }

  /** Makes a new file's directory entry durable (not every file system can force a directory). */
  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("usage spool: the directory {} cannot be forced: {}", dir, e.toString());
    }
  }
}
