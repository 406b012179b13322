package dev.relaycluster.alerts;

import dev.relaycluster.cluster.CborSerializable;

/**
 * One account event for the webhook targets. {@code detail} is a human sentence (never a credential);
 * {@code until} is when a cooldown ends (epoch millis), or 0.
 */
public record AccountAlert(
    AlertKind kind,
    String accountId,
    String accountName,
    String platform,
    String detail,
    long at,
    long until) implements CborSerializable {}
