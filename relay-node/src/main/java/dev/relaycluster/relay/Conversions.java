package dev.relaycluster.relay;

import dev.relaycluster.protocol.convert.Codecs;
import dev.relaycluster.protocol.convert.DialectCodec;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.DialectId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dialects the node speaks and the codecs it converts between them with (ARCHITECTURE.md §2): the
 * upstream's dialect taps usage and frames errors of a converted request; the two codecs translate it.
 */
public final class Conversions {
  private final Codecs codecs;
  private final Map<DialectId, Dialect> dialects = new EnumMap<>(DialectId.class);

  public Conversions(Codecs codecs, Dialect... dialects) {
    this.codecs = codecs;
    for (Dialect d : dialects) {
      this.dialects.put(d.id(), d);
    }
  }

  /** The codec of {@code dialect}, or empty when its requests cannot be converted. */
  public Optional<DialectCodec> codec(DialectId dialect) {
    return codecs.of(dialect);
  }

  /** The dialect of {@code id}, or empty when this node does not speak it. */
  public Optional<Dialect> dialect(DialectId id) {
    return Optional.ofNullable(dialects.get(id));
  }
}
