package dev.relaycluster.scheduling;

import dev.relaycluster.apikey.KeyBinding;
import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.protocol.ratelimit.ModelFamily;

/**
 * What a request needs from an account: its platform, its model (null: any), and the key's dedicated
 * binding for that platform's pool.
 */
public record Demand(String platform, String model, KeyBinding binding) implements CborSerializable {

  public Demand {
    binding = binding == null ? KeyBinding.NONE : binding;
  }

  public static Demand of(String platform) {
    return new Demand(platform, null, KeyBinding.NONE);
  }

  /** The model family cooldown marks are compared with ("opus", "sonnet", "haiku", "other"). */
  public String family() {
    return ModelFamily.of(model).wireName();
  }
}
