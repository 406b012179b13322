package dev.relaycluster.account;

/**
 * An account's pace over every node whose figures are fresh: the average time to the first byte (-1
 * unknown), the share of failed attempts, and the attempts behind them.
 */
public record PaceSummary(double firstByteMillis, double errorRate, long samples) {
  public static final PaceSummary NONE = new PaceSummary(-1, 0, 0);
}
