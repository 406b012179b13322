package dev.relaycluster.admin;

/**
 * A logged-in admin, as stored (by token hash) in the TTL store with the role it logged in with. What a
 * check answers carries the role read again from the admin's record at that moment, and {@code enrolOnly}
 * when two-factor is required and the admin has none yet: such a session may only enrol. A session begun by
 * single sign-on ({@code signedOn}) is never enrol-only: the issuer decides how its admins prove who they are.
 */
public record AdminSession(String username, long createdAt, long expiresAt, AdminRole role, boolean enrolOnly,
    boolean signedOn) {}
