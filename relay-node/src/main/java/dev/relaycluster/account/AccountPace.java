package dev.relaycluster.account;

import dev.relaycluster.cluster.Versioned;

/**
 * One node's recent figures for one account, replicated to every node: the average time to the first byte
 * of its successful answers ({@code firstByteMillis}, -1 while none succeeded), the share of its attempts
 * that failed ({@code errorRate}, 0..1), how many attempts they come from, and when they were last
 * updated. Each node writes only its own entries ({@code id} = account id and node), so revisions grow
 * per writer.
 */
public record AccountPace(String id, String accountId, String node, long revision, double firstByteMillis,
    double errorRate, long samples, long at) implements Versioned {

  public static String idOf(String accountId, String node) {
    return accountId + "@" + node;
  }
}
