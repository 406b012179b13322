package dev.relaycluster.apikey;

import dev.relaycluster.protocol.pricing.ModelPrice;
import dev.relaycluster.protocol.pricing.PriceTable;

/**
 * The rated cost and tokens a request may use, reserved at admission: {@code max_tokens} at the model's
 * output price plus the body's size in tokens (about four bytes a token) at its input price, times the
 * pool's and the key's service rates. For a request that stays within {@code max_tokens} and is not
 * mostly cache writes this is at least its real cost; that is what bounds a budget's overshoot.
 */
public final class CostEstimate {
  private static final long PICO_PER_MICRO = 1_000_000L;
  static final int BYTES_PER_TOKEN = 4;

  private CostEstimate() {}

  /** Input tokens a body of this size may hold. */
  public static long inputTokens(long bodyBytes) {
    return Math.max(0, (bodyBytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN);
  }

  /** Tokens the request may use: its input and {@code max_tokens} (0 when absent). */
  public static long tokens(long maxTokens, long bodyBytes) {
    return inputTokens(bodyBytes) + Math.max(0, maxTokens);
  }

  /** The request's rated cost estimate in micro-dollars, rounded up. */
  public static long ratedMicros(PriceTable prices, String model, long maxTokens, long bodyBytes, double ratedFactor) {
    ModelPrice price = prices.price(model, PriceTable.DEFAULT_FALLBACK).price();
    return ratedMicros(price, maxTokens, bodyBytes, ratedFactor);
  }

  public static long ratedMicros(ModelPrice price, long maxTokens, long bodyBytes, double ratedFactor) {
    double pico = (double) inputTokens(bodyBytes) * price.inputPico() + (double) Math.max(0, maxTokens) * price.outputPico();
    double micros = Math.ceil(pico / PICO_PER_MICRO * Math.max(0, ratedFactor));
    return micros >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : (long) micros;
  }
}
