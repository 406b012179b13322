package dev.relaycluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARCHITECTURE.md §3: an arrow only points down the list of relay-node packages; a package never uses one
 * above it. Reads the main sources and fails on an import (or a fully qualified name) of a package higher in
 * {@link #ORDER}, and on a package the order does not place.
 */
class PackageLayeringTest {
  private static final Path MAIN = Path.of("src/main/java/dev/relaycluster");

  /**
   * §3's order, top first. portal/, metrics/ and tracing/ are not in §3 yet; they are placed where the code
   * uses them: portal/ (the key holders' page) under http/ and over apikey/ and usage/; metrics/ and tracing/
   * under relay/, which reports to them, and over config/.
   */
  static final List<String> ORDER = List.of("node", "http", "admin", "portal", "relay", "metrics", "tracing",
      "session", "scheduling", "account", "apikey", "upstream", "usage", "alerts", "cluster", "config", "store");

  /** Other modules' packages (protocol/ is a module of its own, below relay-node). */
  private static final Set<String> OTHER_MODULES = Set.of("protocol");

  private static final Pattern USE = Pattern.compile("\\bdev\\.relaycluster\\.([a-z][a-z0-9_]*)\\b");

  @Test
  void noPackageUsesOneAboveIt() throws IOException {
    List<String> upward = upwardUses(MAIN);
    assertEquals(List.of(), upward, "packages using one above them in ARCHITECTURE.md §3's order");
  }

  @Test
  void everyPackageHasAPlace() throws IOException {
    Set<String> unplaced = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(MAIN)) {
      dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
          .filter(p -> !ORDER.contains(p)).forEach(unplaced::add);
    }
    assertEquals(Set.of(), unplaced, "packages ARCHITECTURE.md §3's order does not place");
  }

  @Test
  void codeLeavesOutCommentsAndLiterals() {
    String code = code("""
        package dev.relaycluster.store;
        // dev.relaycluster.node in a comment
        /* and dev.relaycluster.http here */
        class A { String s = "dev.relaycluster.admin \\" dev.relaycluster.relay"; char q = '"';
          String t = \"""
            dev.relaycluster.portal
            \"""; Object u = dev.relaycluster.usage.X.class; }
        """);
    assertEquals(List.of("usage"), USE.matcher(code).results().map(r -> r.group(1)).toList());
  }

  @Test
  void anImportUpTheListIsFound(@TempDir Path dir) throws IOException {
    Path usage = Files.createDirectories(dir.resolve("usage"));
    Files.writeString(usage.resolve("Up.java"), """
        package dev.relaycluster.usage;

        import dev.relaycluster.apikey.ApiKeyEntity;
        import dev.relaycluster.store.Database;

        class Up {
          Object admin = dev.relaycluster.admin.KeyAdmin.class;
        }
        """);
    Path store = Files.createDirectories(dir.resolve("store"));
    Files.writeString(store.resolve("Fine.java"), """
        package dev.relaycluster.store;

        import dev.relaycluster.protocol.util.Json;

        /** Mentions dev.relaycluster.node.Main in a comment only. */
        class Fine {}
        """);
    List<String> upward = upwardUses(dir);
    assertEquals(List.of("usage/Up.java -> admin", "usage/Up.java -> apikey"), upward);
  }

  /** Each use of a package above the file's own, as "path -> package", sorted. */
  static List<String> upwardUses(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        Path relative = root.relativize(file);
        String own = relative.getName(0).toString();
        int ownRank = ORDER.indexOf(own);
        Set<String> used = new TreeSet<>();
        Matcher m = USE.matcher(code(Files.readString(file)));
        while (m.find()) {
          used.add(m.group(1));
        }
        for (String p : used) {
          if (p.equals(own) || OTHER_MODULES.contains(p)) {
            continue;
          }
          int rank = ORDER.indexOf(p);
          if (ownRank < 0 || rank < 0 || rank < ownRank) {
            out.add(relative.toString().replace('\\', '/') + " -> " + p);
          }
        }
      }
    }
    return out;
  }

  /**
   * The code of a source without its package line, comments and literals (Javadoc links and strings name
   * packages without using them).
   */
  static String code(String source) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        i = until(source, "\n", i + 2) - 1;
      } else if (source.startsWith("/*", i)) {
        i = until(source, "*/", i + 2) + 1;
      } else if (source.startsWith("\"\"\"", i)) {
        i = until(source, "\"\"\"", i + 3) + 2;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && source.charAt(j) != c) {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        i = j;
      } else {
        out.append(c);
      }
      i++;
    }
    return out.toString().replaceAll("(?m)^\\s*package\\s+[\\w.]+\\s*;", "");
  }

  /** Where {@code end} starts at or after {@code from} (the source's length when it does not). */
  private static int until(String source, String end, int from) {
    int at = source.indexOf(end, from);
    return at < 0 ? source.length() : at;
  }
}
