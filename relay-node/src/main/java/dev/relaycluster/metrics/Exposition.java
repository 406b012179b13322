package dev.relaycluster.metrics;

/** One scrape of the node's metrics: the exposition format's content type and the text in it. */
public record Exposition(String contentType, String body) {}
