package dev.relaycluster.admin;

/** A logged-in admin, as stored (by token hash) in the TTL store. */
public record AdminSession(String username, long createdAt, long expiresAt) {}
