package dev.relaycluster.protocol.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.util.BoundedMemo;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Per-token model prices read from a LiteLLM {@code model_prices_and_context_window.json}; immutable. */
public final class PriceTable {

    /** Price for unknown models: $3 / $15 per million input / output, Claude-style cache prices. */
    public static final ModelPrice DEFAULT_FALLBACK =
            new ModelPrice(3_000_000L, 15_000_000L, 3_750_000L, 6_000_000L, 300_000L);

    private static final String BUNDLED_RESOURCE = "/pricing/model_prices_and_context_window.json";

    private final Map<String, ModelPrice> prices;
    private final Map<String, ModelPrice> longContextPrices;
    private final Map<String, String> keysByLowerCase;
    /**
     * The key each model name looked up so far matched (empty: none), for up to 1,024 names: requests name
     * a few models, and working out the candidates of a name takes a regular expression.
     */
    private final BoundedMemo<String, Optional<String>> matches =
            new BoundedMemo<>(1024, model -> Optional.ofNullable(findKey(model)));
    private final String version;

    private PriceTable(Map<String, ModelPrice> prices, Map<String, ModelPrice> longContextPrices,
            Map<String, String> keysByLowerCase, String version) {
        this.prices = prices;
        this.longContextPrices = longContextPrices;
        this.keysByLowerCase = keysByLowerCase;
        this.version = version;
    }

    /**
     * Reads a LiteLLM price file, skipping entries that are not objects or have no input price.
     *
     * @throws IllegalArgumentException when the bytes are not a JSON object or a price is out of range
     */
    public static PriceTable parse(byte[] litellmJson) {
        JsonNode root;
        try {
            root = Json.mapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(litellmJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("price table is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("price table must be a JSON object of model name to prices");
        }
        Map<String, ModelPrice> prices = new HashMap<>();
        Map<String, ModelPrice> longContext = new HashMap<>();
        Map<String, String> keysByLowerCase = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String name = entry.getKey();
            try {
                LiteLlmEntry.toPrice(name, entry.getValue()).ifPresent(price -> {
                    prices.put(name, price);
                    keysByLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
                    LiteLlmEntry.toLongContextPrice(name, entry.getValue(), price)
                            .ifPresent(lc -> longContext.put(name, lc));
                });
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("price of " + name + " is out of range", e);
            }
        }
        String version = "sha256:" + Hashing.sha256Hex(litellmJson).substring(0, 16);
        return new PriceTable(Map.copyOf(prices), Map.copyOf(longContext), Map.copyOf(keysByLowerCase), version);
    }

    /**
     * This table with every model of {@code override} replacing or adding to its own (an operator's
     * override file merged over the bundled table). The version names both tables.
     */
    public PriceTable overriddenBy(PriceTable override) {
        Map<String, ModelPrice> merged = new HashMap<>(prices);
        Map<String, ModelPrice> mergedLongContext = new HashMap<>(longContextPrices);
        Map<String, String> lower = new HashMap<>(keysByLowerCase);
        for (Map.Entry<String, ModelPrice> e : override.prices.entrySet()) {
            merged.put(e.getKey(), e.getValue());
            mergedLongContext.remove(e.getKey());
            lower.put(e.getKey().toLowerCase(Locale.ROOT), e.getKey());
        }
        mergedLongContext.putAll(override.longContextPrices);
        String mergedVersion = "sha256:" + Hashing.sha256Hex(version + "+" + override.version).substring(0, 16);
        return new PriceTable(Map.copyOf(merged), Map.copyOf(mergedLongContext), Map.copyOf(lower), mergedVersion);
    }

    /** The table shipped in this module (LiteLLM snapshot), loaded once. */
    public static PriceTable bundled() {
        return Bundled.TABLE;
    }

    /** "sha256:" and the first 16 hex digits of the SHA-256 of the file's bytes. */
    public String version() {
        return version;
    }

    /** Every priced model name, sorted. */
    public java.util.SortedSet<String> models() {
        return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(prices.keySet()));
    }

    /** Number of priced models. */
    public int size() {
        return prices.size();
    }

    /** The price of {@code model}, trying the names of {@link ModelNames#candidates(String)} in turn. */
    public Optional<ModelPrice> find(String model) {
        return Optional.ofNullable(matchKey(model)).map(prices::get);
    }

    /** The price of {@code model}, or {@code fallback} marked as such when the table does not know it. */
    public PricedModel price(String model, ModelPrice fallback) {
        String key = matchKey(model);
        return key == null
                ? new PricedModel(model, null, fallback, true)
                : new PricedModel(model, key, prices.get(key), false, longContextPrices.get(key));
    }

    /**
     * The price of {@code model}; when the table does not know it, the price of {@code fallbackModel}
     * (marked as a fallback), or {@link #DEFAULT_FALLBACK} when that is blank or unknown too.
     */
    public PricedModel price(String model, String fallbackModel) {
        String key = matchKey(model);
        if (key != null) {
            return new PricedModel(model, key, prices.get(key), false, longContextPrices.get(key));
        }
        String fallbackKey = matchKey(fallbackModel);
        return fallbackKey == null
                ? new PricedModel(model, null, DEFAULT_FALLBACK, true)
                : new PricedModel(model, fallbackKey, prices.get(fallbackKey), true, longContextPrices.get(fallbackKey));
    }

    /** The long-context price of {@code model}, when the table states one. */
    public Optional<ModelPrice> findLongContext(String model) {
        return Optional.ofNullable(matchKey(model)).map(longContextPrices::get);
    }

    private String matchKey(String model) {
        if (model == null || model.isBlank()) {
            return null;
        }
        return matches.get(model).orElse(null);
    }

    private String findKey(String model) {
        for (String name : ModelNames.candidates(model)) {
            if (prices.containsKey(name)) {
                return name;
            }
            String key = keysByLowerCase.get(name);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    private static final class Bundled {

        static final PriceTable TABLE = load();

        private static PriceTable load() {
            try (InputStream in = PriceTable.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing classpath resource " + BUNDLED_RESOURCE);
                }
                return parse(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + BUNDLED_RESOURCE, e);
            }
        }
    }
}
