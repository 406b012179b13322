package dev.relaycluster.account;

import dev.relaycluster.cluster.CborSerializable;

/** One upstream error an account gave, for the admin view; {@code message} is upstream's error text. */
public record RecentError(long at, int status, String kind, String message) implements CborSerializable {}
