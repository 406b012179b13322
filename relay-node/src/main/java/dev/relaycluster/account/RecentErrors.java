package dev.relaycluster.account;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * The last upstream errors of one account, newest first, for the admin view. Bounded; in memory only
 * (owned by the account's actor, so not thread-safe); messages are cut to 500 characters.
 */
final class RecentErrors {
  private static final int MAX_MESSAGE = 500;
  private final int capacity;
  private final ArrayDeque<RecentError> errors = new ArrayDeque<>();

  RecentErrors(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  void add(RecentError error) {
    String m = error.message() == null ? "" : error.message();
    errors.addFirst(m.length() > MAX_MESSAGE
        ? new RecentError(error.at(), error.status(), error.kind(), m.substring(0, MAX_MESSAGE)) : error);
    while (errors.size() > capacity) {
      errors.removeLast();
    }
  }

  /** Adds what upstream answered at {@code at} when it was an error. */
  void add(AnswerVerdict verdict, long at) {
    if (verdict.answerClass() != AnswerClass.SUCCESS) {
      add(new RecentError(at, verdict.status(), verdict.answerClass().name().toLowerCase(Locale.ROOT),
          verdict.message()));
    }
  }

  void clear() {
    errors.clear();
  }

  List<RecentError> newestFirst() {
    return List.copyOf(errors);
  }
}
