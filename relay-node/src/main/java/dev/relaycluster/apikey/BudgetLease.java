package dev.relaycluster.apikey;

/**
 * The id of a node's budget share of a key ({@link KeyBudgets}), which names the most it may reserve: rated
 * cost, window tokens and window requests, and whether it counts toward the weekly Opus limit. The node
 * notes the id in its lease book before it asks, as it does for a concurrency slot; the entity grants at
 * most these amounts, so an entity that restarts and learns of the lease from the node's holder reserves
 * them again from the id alone (more than the share may have left: never less).
 */
public record BudgetLease(String id, long maxCostMicros, long maxTokens, long requests, boolean opus) {
  static final String PREFIX = "budget:";

  /** A lease id for these amounts; {@code unique} must name one ask of one node (no ':' in it). */
  public static BudgetLease of(String unique, long maxCostMicros, long maxTokens, long requests, boolean opus) {
    String id = PREFIX + unique + ":" + Math.max(0, maxCostMicros) + ":" + Math.max(0, maxTokens) + ":"
        + Math.max(0, requests) + ":" + (opus ? "o" : "a");
    return new BudgetLease(id, Math.max(0, maxCostMicros), Math.max(0, maxTokens), Math.max(0, requests), opus);
  }

  /** The budget lease a lease id names, or null when it names another kind of lease (or is malformed). */
  public static BudgetLease parse(String id) {
    if (id == null || !id.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = id.substring(PREFIX.length()).split(":", -1);
    if (parts.length != 5 || parts[0].isEmpty() || !("o".equals(parts[4]) || "a".equals(parts[4]))) {
      return null;
    }
    try {
      long cost = Long.parseLong(parts[1]);
      long tokens = Long.parseLong(parts[2]);
      long requests = Long.parseLong(parts[3]);
      if (cost < 0 || tokens < 0 || requests < 0) {
        return null;
      }
      return new BudgetLease(id, cost, tokens, requests, "o".equals(parts[4]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The lease id a request admitted on the share {@code shareId} settles under: its request id and the share,
   * so the entity takes what the request spent off the share's reservation as it counts it as spent. Like a
   * request id, it names no lease the entity holds.
   */
  public static String settleId(String requestId, String shareId) {
    return requestId + "@" + shareId;
  }

  /** The share a settlement's lease id names ({@link #settleId}), or null. */
  public static String shareOf(String settleId) {
    int at = settleId == null ? -1 : settleId.lastIndexOf("@" + PREFIX);
    return at < 0 ? null : settleId.substring(at + 1);
  }
}
