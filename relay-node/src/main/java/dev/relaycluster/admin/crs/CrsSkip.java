package dev.relaycluster.admin.crs;

/** An item the import left out, and why: {@code kind} is key, account, group, usage, request or webhook. */
public record CrsSkip(String kind, String id, String name, String reason) {}
