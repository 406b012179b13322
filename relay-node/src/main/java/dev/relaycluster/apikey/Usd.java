package dev.relaycluster.apikey;

import java.math.BigDecimal;

/** Micro-dollars shown as dollars: at least two decimals, never more than six. */
public final class Usd {
  private Usd() {}

  /** The amount in dollars with no trailing zeros and no exponent (10, 0.5, 0.000001). */
  public static BigDecimal of(long micros) {
    BigDecimal d = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  public static String format(long micros) {
    BigDecimal d = of(micros);
    if (d.scale() < 2) {
      d = d.setScale(2);
    }
    return "$" + d.toPlainString();
  }
}
