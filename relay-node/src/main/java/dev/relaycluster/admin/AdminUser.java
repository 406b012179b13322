package dev.relaycluster.admin;

/**
 * One admin as stored, without its password hash or two-factor secret. Sessions created before
 * {@code sessionsValidAfter} (a password reset, a password change) no longer count.
 */
public record AdminUser(String username, AdminRole role, boolean disabled, boolean totpEnabled, long createdAt,
    long updatedAt, long sessionsValidAfter) {}
