package dev.relaycluster.cluster;

/** Marker for every message and event that crosses the cluster or the journal: serialized with Jackson CBOR. */
public interface CborSerializable {}
