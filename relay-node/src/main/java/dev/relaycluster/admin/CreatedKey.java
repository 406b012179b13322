package dev.relaycluster.admin;

import dev.relaycluster.apikey.KeyEntry;

/** A new key with its plain value, which exists only in this one answer. */
public record CreatedKey(KeyEntry entry, String plainKey) {}
