package dev.relaycluster.config;

import java.util.Locale;

/**
 * One rule of a model map: a model name or a glob ({@code match}; {@code *} is any run of characters; matched
 * case-insensitively against the whole name) → the pool whose accounts serve it and, optionally, the model name
 * upstream is asked for ({@code model}; null: the name as the client asked). An alias is a rule with an exact
 * name and a target model, such as {@code sonnet} → claude, {@code claude-sonnet-4-5}.
 */
public record ModelRule(String match, String pool, String model) {

  public ModelRule {
    match = match == null ? "" : match.strip();
    pool = pool == null ? "" : pool.strip().toLowerCase(Locale.ROOT);
    model = model == null || model.isBlank() ? null : model.strip();
  }

  /** Whether this rule's pattern matches the whole of {@code name}, ignoring case. */
  public boolean matches(String name) {
    if (name == null) {
      return false;
    }
    return glob(match.toLowerCase(Locale.ROOT), name.strip().toLowerCase(Locale.ROOT));
  }

  /** The model name upstream is asked for when this rule matched {@code asked}. */
  public String target(String asked) {
    return model != null ? model : asked;
  }

  /** {@code *} stands for any run of characters (none too); every other character for itself. */
  private static boolean glob(String pattern, String text) {
    int p = 0;
    int t = 0;
    int starAt = -1;
    int retryFrom = 0;
    while (t < text.length()) {
      char c = p < pattern.length() ? pattern.charAt(p) : 0;
      if (p < pattern.length() && c != '*' && c == text.charAt(t)) {
        p++;
        t++;
      } else if (p < pattern.length() && c == '*') {
        starAt = p++;
        retryFrom = t;
      } else if (starAt >= 0) {
        // The last star takes one more character and the rest of the pattern tries again.
        p = starAt + 1;
        t = ++retryFrom;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
