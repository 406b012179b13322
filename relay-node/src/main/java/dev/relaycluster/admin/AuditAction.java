package dev.relaycluster.admin;

/** What an admin call did, for the audit log: the action, the object's type, its id when the path names it. */
public record AuditAction(String action, String objectType, String objectId, String detail) {}
