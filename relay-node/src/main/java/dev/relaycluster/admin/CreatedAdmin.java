package dev.relaycluster.admin;

/** An admin just created or given a new password; {@code password} only when the node made it up (shown once). */
public record CreatedAdmin(AdminUser user, String password) {}
