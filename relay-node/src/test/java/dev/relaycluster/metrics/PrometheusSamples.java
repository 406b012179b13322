package dev.relaycluster.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a scrape in the Prometheus text format (or OpenMetrics), read the way Prometheus reads them:
 * {@code name{label="value",…} value [timestamp]}, comments and blank lines skipped, label values unescaped.
 * For tests: {@link #sum} adds every sample of a name whose labels include the given ones.
 */
public final class PrometheusSamples {
  /** One sample. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private PrometheusSamples(List<Sample> samples) {
    this.samples = samples;
  }

  public static PrometheusSamples parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      out.add(sample(line));
    }
    return new PrometheusSamples(out);
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq).strip();
        i = eq + 2; // past ="
        StringBuilder value = new StringBuilder();
        while (line.charAt(i) != '"') {
          char c = line.charAt(i);
          if (c == '\\') {
            char next = line.charAt(++i);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
          i++;
        }
        labels.put(label, value.toString());
        i++; // past the closing quote
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++; // past }
    }
    String[] rest = line.substring(i).strip().split(" ");
    return new Sample(name, labels, parseValue(rest[0]));
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  public List<Sample> all() {
    return samples;
  }

  /** Whether any sample has this name. */
  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /** The sum of the samples of {@code name} whose labels include all of {@code labels} (0 when none). */
  public double sum(String name, Map<String, String> labels) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
        total += s.value();
      }
    }
    return total;
  }

  /**
   * The count in the histogram bucket {@code name_bucket} whose bound is {@code le} (compared as a number: the
   * registry writes 0.0005 as 5.0E-4), summed over the series whose labels include {@code labels}.
   */
  public double bucket(String name, Map<String, String> labels, double le) {
    double total = 0;
    for (Sample s : samples) {
      String bound = s.labels().get("le");
      if (s.name().equals(name + "_bucket") && bound != null && parseValue(bound) == le
          && s.labels().entrySet().containsAll(labels.entrySet())) {
        total += s.value();
      }
    }
    return total;
  }

  /** How many samples of {@code name} there are (one per label set). */
  public long count(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).count();
  }
}
