package dev.relaycluster.admin;

import java.util.List;

/**
 * One line of the admin audit log: who ({@code actor}, an admin's name, or null for a login with an unknown
 * name), what ({@code action}), on which object (type, id, name), when (epoch millis), from where (the client
 * address), the names (never the values) of the fields a change carried, and a non-secret {@code detail}
 * such as a new role.
 */
public record AuditEntry(String id, long at, String actor, String action, String objectType, String objectId,
    String objectName, List<String> fields, String detail, String client) {}
