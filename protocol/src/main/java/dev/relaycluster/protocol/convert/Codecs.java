package dev.relaycluster.protocol.convert;

import dev.relaycluster.protocol.dialect.DialectId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The codecs a relay converts through, by dialect (ARCHITECTURE.md §2: any pair goes through the model). */
public final class Codecs {
  private final Map<DialectId, DialectCodec> byDialect = new EnumMap<>(DialectId.class);

  public Codecs(DialectCodec... codecs) {
    for (DialectCodec c : codecs) {
      byDialect.put(c.dialect(), c);
    }
  }

  /** The codec of {@code dialect}, or empty when requests in it cannot be converted. */
  public Optional<DialectCodec> of(DialectId dialect) {
    return Optional.ofNullable(byDialect.get(dialect));
  }
}
