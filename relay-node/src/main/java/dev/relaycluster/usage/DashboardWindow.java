package dev.relaycluster.usage;

import java.util.List;

/** Usage of one dashboard window (today or this month, in the ledger's zone). */
public record DashboardWindow(
    String from, String to, UsageTotals totals, long totalTokens, List<AggregateRow> topKeys,
    List<AggregateRow> topModels, long activeAccounts) {}
