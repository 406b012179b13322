package dev.relaycluster.usage;

import java.util.Locale;
import java.util.Optional;

/** What the usage aggregates are grouped by. */
public enum Dimension {
  KEY,
  ACCOUNT,
  MODEL,
  /** The pool that served the request (claude, openai, gemini, droid); only requests recorded with it. */
  POOL;

  /** The record's value in this dimension. */
  public String of(UsageRecord u) {
    return switch (this) {
      case KEY -> u.keyId();
      case ACCOUNT -> u.accountId() == null || u.accountId().isBlank() ? AggregateTable.NO_ACCOUNT : u.accountId();
      case MODEL -> truncate(pricedModel(u));
      case POOL -> u.pool() == null || u.pool().isBlank() ? AggregateTable.NO_POOL : truncate(u.pool());
    };
  }

  /** The model a request was priced as: the one upstream reported, else the one requested. */
  public static String pricedModel(UsageRecord u) {
    if (u.servedModel() != null && !u.servedModel().isBlank()) {
      return u.servedModel();
    }
    return u.model() == null || u.model().isBlank() ? "(unknown)" : u.model();
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Dimension> parse(String s) {
    for (Dimension d : values()) {
      if (d.wireName().equals(s)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private static String truncate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200);
  }
}
