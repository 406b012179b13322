package dev.relaycluster.protocol.pricing;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The names to try, in order, when looking a requested model up in a price table. */
final class ModelNames {

    private static final Pattern DATE_SUFFIX = Pattern.compile("-\\d{8}$");
    private static final String ONE_MILLION_CONTEXT = "[1m]";

    private ModelNames() {
    }

    /**
     * {@code model} as given, then lower-cased, then with a provider prefix (up to the last '/') removed,
     * then without a trailing "[1m]", then without a trailing "-YYYYMMDD"; each step applies to the last.
     */
    static Set<String> candidates(String model) {
        Set<String> names = new LinkedHashSet<>();
        names.add(model);
        String name = model.strip().toLowerCase(Locale.ROOT);
        names.add(name);
        name = name.substring(name.lastIndexOf('/') + 1);
        names.add(name);
        if (name.endsWith(ONE_MILLION_CONTEXT)) {
            name = name.substring(0, name.length() - ONE_MILLION_CONTEXT.length());
        }
        names.add(name);
        names.add(DATE_SUFFIX.matcher(name).replaceFirst(""));
        return names;
    }
}
