package dev.relaycluster.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human wording of an alert, shared by every channel: a title and labelled lines. */
public final class AlertText {
  /** One labelled line: "Account: main (acc-1)". */
  public record Line(String label, String value) {}

  private AlertText() {}

  /** "rate limited", "disabled by admin", … */
  public static String kindWords(AlertKind kind) {
    return kind == AlertKind.TEST ? "test alert" : kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** The wire name of a kind in JSON: "rate_limited". */
  public static String kindName(AlertKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  public static String title(AccountAlert alert) {
    if (alert.kind() == AlertKind.TEST) {
      return "[Relay Cluster] Test alert";
    }
    String words = kindWords(alert.kind());
    return "[Relay Cluster] Account " + words + ": " + display(alert.accountName(), alert.accountId());
  }

  public static List<Line> lines(AccountAlert alert) {
    List<Line> lines = new ArrayList<>();
    lines.add(new Line("Event", kindWords(alert.kind())));
    if (alert.accountId() != null && !alert.accountId().isEmpty()) {
      lines.add(new Line("Account", display(alert.accountName(), alert.accountId()) + " (" + alert.accountId() + ")"));
    }
    if (alert.platform() != null && !alert.platform().isEmpty()) {
      lines.add(new Line("Platform", alert.platform()));
    }
    if (alert.detail() != null && !alert.detail().isEmpty()) {
      lines.add(new Line("Detail", alert.detail()));
    }
    if (alert.until() > 0) {
      lines.add(new Line("Until", Instant.ofEpochMilli(alert.until()).toString()));
    }
    lines.add(new Line("At", Instant.ofEpochMilli(alert.at()).toString()));
    return lines;
  }

  /** Title, blank line, then "Label: value" lines. */
  public static String plain(AccountAlert alert) {
    StringBuilder sb = new StringBuilder(title(alert)).append('\n');
    for (Line line : lines(alert)) {
      sb.append('\n').append(line.label()).append(": ").append(line.value());
    }
    return sb.toString();
  }

  private static String display(String name, String id) {
    return name != null && !name.isEmpty() ? name : id;
  }
}
