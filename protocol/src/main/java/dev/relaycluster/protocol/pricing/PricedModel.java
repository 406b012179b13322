package dev.relaycluster.protocol.pricing;

/**
 * The price used for a requested model: the table key it matched, or the fallback (with {@code fallback}
 * true; {@code matchedKey} is then the fallback model's key, or null for the built-in fallback price) when
 * the table has no entry for it. {@code longContextPrice} is null when the model has no long-context prices.
 */
public record PricedModel(String requestedModel, String matchedKey, ModelPrice price, boolean fallback,
        ModelPrice longContextPrice) {

    public PricedModel(String requestedModel, String matchedKey, ModelPrice price, boolean fallback) {
        this(requestedModel, matchedKey, price, fallback, null);
    }
}
