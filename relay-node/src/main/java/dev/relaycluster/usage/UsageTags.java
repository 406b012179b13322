package dev.relaycluster.usage;

import java.util.ArrayList;
import java.util.List;

/** Usage events are spread over N tags so that N projection workers can consume them in parallel. */
public final class UsageTags {
  public static final String PREFIX = "usage-";

  private UsageTags() {}

  public static String forKey(String keyId, int partitions) {
    return PREFIX + Math.floorMod(keyId.hashCode(), partitions);
  }

  public static List<String> all(int partitions) {
    List<String> tags = new ArrayList<>(partitions);
    for (int i = 0; i < partitions; i++) {
      tags.add(PREFIX + i);
    }
    return tags;
  }
}
