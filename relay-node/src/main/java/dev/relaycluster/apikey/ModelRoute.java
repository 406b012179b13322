package dev.relaycluster.apikey;

/** Where a model name sends a request: the pool whose accounts serve it and the model name upstream is asked for. */
public record ModelRoute(String pool, String model) {}
