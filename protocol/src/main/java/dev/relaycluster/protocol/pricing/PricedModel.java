package dev.relaycluster.protocol.pricing;

/**
 * The price used for a requested model: the table key it matched, or the fallback price (with
 * {@code matchedKey} null and {@code fallback} true) when the table has no entry for it.
 */
public record PricedModel(String requestedModel, String matchedKey, ModelPrice price, boolean fallback) {
}
