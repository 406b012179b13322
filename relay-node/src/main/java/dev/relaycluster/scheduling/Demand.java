package dev.relaycluster.scheduling;

import dev.relaycluster.apikey.KeyBinding;
import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.protocol.ratelimit.ModelFamily;

/**
 * What a request needs from an account: its platform, its model (null: any), the key's dedicated
 * binding for that platform's pool, and the model's family as the pool's platforms name it (null: the
 * Claude families).
 */
public record Demand(String platform, String model, KeyBinding binding, String modelFamily)
    implements CborSerializable {

  public Demand {
    binding = binding == null ? KeyBinding.NONE : binding;
  }

  public Demand(String platform, String model, KeyBinding binding) {
    this(platform, model, binding, null);
  }

  public static Demand of(String platform) {
    return new Demand(platform, null, KeyBinding.NONE);
  }

  /** The model family cooldown marks are compared with ("opus", "sonnet", "haiku", "pro", "flash", "other"). */
  public String family() {
    return modelFamily != null ? modelFamily : ModelFamily.of(model).wireName();
  }
}
