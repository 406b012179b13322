package dev.relaycluster.portal;

/**
 * One limit a key has, as its holder sees it. {@code name}: {@code concurrency}, {@code windowRequests},
 * {@code windowTokens}, {@code windowCost}, {@code dailyCost}, {@code weeklyOpusCost}, {@code totalCost} or
 * {@code expiry}; {@code unit}: {@code requests}, {@code tokens}, {@code micros} (rated micro-dollars) or
 * {@code time}. {@code resetsAt} and {@code expiresAt} are epoch millis (0 = none), {@code windowMinutes}
 * the rate window's length (0 = not a window limit). {@code note} (null = none): {@code window-not-open}
 * (the window opens with the next request), {@code never-resets}, {@code activation-pending} (the key
 * expires {@code limit} milliseconds after its first request) or {@code expired}.
 */
public record LimitLine(
    String name,
    String unit,
    long limit,
    long used,
    long remaining,
    long resetsAt,
    long windowMinutes,
    long expiresAt,
    String note) {

  static LimitLine amount(String name, String unit, long limit, long used, long resetsAt, String note) {
    return new LimitLine(name, unit, limit, used, Math.max(0, limit - used), resetsAt, 0, 0, note);
  }

  LimitLine inWindow(long minutes) {
    return new LimitLine(name, unit, limit, used, remaining, resetsAt, minutes, expiresAt, note);
  }
}
